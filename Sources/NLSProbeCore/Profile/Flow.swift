/// One row of the firewall change request.
public struct Flow: Sendable, Equatable {
    /// Position in the profile's `flows` list, from 0.
    public var index: Int
    /// The ports, expanded from a number, a list or a range.
    public var ports: [Int]
    /// The ports as the profile wrote them ("443", "8081, 8084", "8081-8085").
    public var portLabel: String
    /// How the flow is checked.
    public var proto: FlowProtocol
    /// The firewall's point of view.
    public var direction: Direction
    /// The NVIDIA services that use the flow.
    public var services: [String]
    /// The initiating group (a source group, or a destination group whose hosts initiate).
    public var from: String
    /// The destination group.
    public var to: String
    /// What should happen.
    public var expect: Expectation
    /// A free-text note carried into reports.
    public var note: String?
    /// The settings its checks run with.
    public var settings: CheckSettings

    /// Creates a flow.
    public init(
        index: Int, ports: [Int], portLabel: String? = nil, proto: FlowProtocol, direction: Direction = .egress,
        services: [String] = [], from: String, to: String, expect: Expectation = .allow, note: String? = nil,
        settings: CheckSettings = CheckSettings()
    ) {
        self.index = index
        self.ports = ports
        self.portLabel = portLabel ?? ports.map(String.init).joined(separator: ", ")
        self.proto = proto
        self.direction = direction
        self.services = services
        self.from = from
        self.to = to
        self.expect = expect
        self.note = note
        self.settings = settings
    }
}
