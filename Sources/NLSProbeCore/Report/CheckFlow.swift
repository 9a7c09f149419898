/// The flow a check belongs to, with the check's port.
public struct CheckFlow: Codable, Sendable, Equatable {
    /// Index of the flow in `flows`.
    public var index: Int
    /// The port checked.
    public var port: Int
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

    /// Creates a check's flow reference.
    public init(
        index: Int, port: Int, protocol: FlowProtocol, direction: Direction, services: [String], from: String,
        to: String
    ) {
        self.index = index
        self.port = port
        self.protocol = `protocol`
        self.direction = direction
        self.services = services
        self.from = from
        self.to = to
    }
}
