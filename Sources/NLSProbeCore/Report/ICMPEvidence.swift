/// An ICMP error that answered a check's SYN, read from the check's own socket (`IP_RECVERR`,
/// `MSG_ERRQUEUE`): no packet capture and no root needed.
public struct ICMPEvidence: Codable, Sendable, Equatable {
    /// 4 for ICMP, 6 for ICMPv6.
    public var version: Int
    /// The ICMP type (3 destination unreachable, 11 time exceeded; ICMPv6: 1, 3).
    public var type: Int
    /// The ICMP code (13: administratively prohibited).
    public var code: Int
    /// The router or firewall that sent it.
    public var from: String
    /// The error in words ("administratively prohibited", "host unreachable").
    public var text: String
    /// True for "administratively prohibited" (a firewall's reject).
    public var adminProhibited: Bool
    /// TTL (hop limit) the ICMP packet arrived with, when the kernel gave it.
    public var ttl: Int?

    /// Creates ICMP evidence.
    public init(
        version: Int, type: Int, code: Int, from: String, text: String, adminProhibited: Bool, ttl: Int? = nil
    ) {
        self.version = version
        self.type = type
        self.code = code
        self.from = from
        self.text = text
        self.adminProhibited = adminProhibited
        self.ttl = ttl
    }

    /// "administratively prohibited (ICMP 3/13) from 198.18.11.1".
    public var summary: String {
        "\(text) (ICMP\(version == 6 ? "v6" : "") \(type)/\(code)) from \(from)"
    }
}
