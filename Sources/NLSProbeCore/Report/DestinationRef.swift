/// Where a check went.
public struct DestinationRef: Codable, Sendable, Equatable {
    /// The destination group.
    public var group: String
    /// The host as named in the profile.
    public var host: String
    /// The address connected to; null where a proxy resolved the name or the name did not resolve.
    public var address: String?

    /// Creates a destination reference.
    public init(group: String, host: String, address: String?) {
        self.group = group
        self.host = host
        self.address = address
    }

    /// Encodes every field, writing null for absent optionals (other tools rely on the keys being there).
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(group, forKey: .group)
        try container.encode(host, forKey: .host)
        try container.encode(address, forKey: .address)
    }
}
