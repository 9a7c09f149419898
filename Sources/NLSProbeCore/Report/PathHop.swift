/// One probe of a path trace: the SYN sent with IP TTL (IPv6 hop limit) `ttl` and what answered it.
public struct PathHop: Codable, Sendable, Equatable {
    /// The TTL the SYN was sent with: hop number `ttl` is where it expires.
    public var ttl: Int
    /// What answered.
    public var answer: PathAnswer
    /// Who answered: the router (time exceeded, unreachable) or the address a reset or SYN-ACK came from.
    public var from: String?
    /// The ICMP error in words, for `unreachable` ("administratively prohibited (ICMP 3/13)").
    public var icmp: String?
    /// Milliseconds from the SYN to the answer; nil for silence.
    public var rttMs: Double?

    /// Creates a hop.
    public init(ttl: Int, answer: PathAnswer, from: String? = nil, icmp: String? = nil, rttMs: Double? = nil) {
        self.ttl = ttl
        self.answer = answer
        self.from = from
        self.icmp = icmp
        self.rttMs = rttMs
    }
}
