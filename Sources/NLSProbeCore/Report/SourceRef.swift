/// Where a check was sent from.
public struct SourceRef: Codable, Sendable, Equatable {
    /// The source group.
    public var group: String
    /// The bound address, null when nothing was bound.
    public var address: String?
    /// The subnet of the source group that holds `address` ("10.10.20.0/24"): part of the check's
    /// cell (see ``CellIdentity``). Absent when unknown: groups without subnets, unbound checks,
    /// reports of earlier versions.
    public var subnet: String?

    /// Creates a source reference.
    public init(group: String, address: String?, subnet: String? = nil) {
        self.group = group
        self.address = address
        self.subnet = subnet
    }

    /// Encodes every field, writing null for absent optionals (other tools rely on the keys being
    /// there); `subnet`, added later, is written only when known.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(group, forKey: .group)
        try container.encode(address, forKey: .address)
        try container.encodeIfPresent(subnet, forKey: .subnet)
    }
}
