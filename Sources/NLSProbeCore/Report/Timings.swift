/// Phase timings of the decisive attempt, in milliseconds; null where a phase did not happen.
public struct Timings: Codable, Sendable, Equatable {
    /// Name resolution (done once per host, before the checks).
    public var dns: Double?
    /// TCP handshake.
    public var connect: Double?
    /// TLS handshake, after TCP.
    public var tls: Double?
    /// From the request to the first response byte.
    public var request: Double?
    /// The whole check: name resolution (`dns`, shared by the checks of a host and counted in
    /// each) plus every attempt; never less than `dns`.
    public var total: Double

    /// Creates timings.
    public init(dns: Double? = nil, connect: Double? = nil, tls: Double? = nil, request: Double? = nil, total: Double) {
        self.dns = dns
        self.connect = connect
        self.tls = tls
        self.request = request
        self.total = total
    }

    /// Encodes every field, writing null for absent optionals (other tools rely on the keys being there).
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(dns, forKey: .dns)
        try container.encode(connect, forKey: .connect)
        try container.encode(tls, forKey: .tls)
        try container.encode(request, forKey: .request)
        try container.encode(total, forKey: .total)
    }
}
