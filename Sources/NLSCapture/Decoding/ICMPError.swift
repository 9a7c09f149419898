import NLSProbeCore

/// An ICMP or ICMPv6 error about a packet of ours.
public struct ICMPError: Sendable, Equatable {
    /// ICMP type (3 destination unreachable, 11 time exceeded; ICMPv6 1, 3).
    public var type: UInt8
    /// ICMP code (13 administratively prohibited, ...).
    public var code: UInt8
    /// True for ICMPv6.
    public var isV6: Bool
    /// The offending packet's addresses and ports, from the quoted header.
    public var quoted: (source: IPAddress, destination: IPAddress, sourcePort: UInt16, destinationPort: UInt16)?

    /// Equal when every field, the quoted header's included, is.
    public static func == (lhs: ICMPError, rhs: ICMPError) -> Bool {
        lhs.type == rhs.type && lhs.code == rhs.code && lhs.isV6 == rhs.isV6
            && lhs.quoted?.source == rhs.quoted?.source && lhs.quoted?.destination == rhs.quoted?.destination
            && lhs.quoted?.sourcePort == rhs.quoted?.sourcePort
            && lhs.quoted?.destinationPort == rhs.quoted?.destinationPort
    }

    /// "destination unreachable: administratively prohibited (ICMP 3/13)".
    public var summary: String {
        let name: String
        if isV6 {
            switch (type, code) {
            case (1, 0): name = "destination unreachable: no route"
            case (1, 1): name = "destination unreachable: administratively prohibited"
            case (1, 3): name = "destination unreachable: address unreachable"
            case (1, 4): name = "destination unreachable: port unreachable"
            case (1, 5), (1, 6): name = "destination unreachable: rejected by policy"
            case (3, _): name = "time exceeded"
            default: name = "ICMPv6 error"
            }
            return "\(name) (ICMPv6 \(type)/\(code))"
        }
        switch (type, code) {
        case (3, 0): name = "destination unreachable: network unreachable"
        case (3, 1): name = "destination unreachable: host unreachable"
        case (3, 3): name = "destination unreachable: port unreachable"
        case (3, 9), (3, 10): name = "destination unreachable: administratively prohibited (host)"
        case (3, 13): name = "destination unreachable: administratively prohibited"
        case (3, _): name = "destination unreachable"
        case (11, _): name = "time exceeded"
        default: name = "ICMP error"
        }
        return "\(name) (ICMP \(type)/\(code))"
    }

    /// True for the codes a firewall's "reject with icmp admin-prohibited" sends.
    public var isAdminProhibited: Bool {
        isV6 ? (type == 1 && (code == 1 || code == 5 || code == 6)) : (type == 3 && [9, 10, 13].contains(code))
    }
}
