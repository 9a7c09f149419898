/// A flow as reports show it.
public struct FlowInfo: Codable, Sendable, Equatable {
    /// Position in the profile, from 0.
    public var index: Int
    /// The ports as written ("443", "8081, 8084", "8081-8085").
    public var ports: String
    /// The protocol.
    public var `protocol`: FlowProtocol
    /// Egress or ingress.
    public var direction: Direction
    /// The services using it.
    public var services: [String]
    /// The initiating group.
    public var from: String
    /// The destination group.
    public var to: String
    /// Allow or block.
    public var expect: Expectation
    /// A free-text note.
    public var note: String?

    /// Builds the report's view of a profile flow.
    public init(_ flow: Flow) {
        index = flow.index
        ports = flow.portLabel
        self.protocol = flow.proto
        direction = flow.direction
        services = flow.services
        from = flow.from
        to = flow.to
        expect = flow.expect
        note = flow.note
    }
}
