internal import CSocket
import NLSProbeCore

/// ICMP and ICMPv6 errors in words, and the kernel's queued error as report evidence.
enum ICMPNames {
    /// "destination unreachable: administratively prohibited" for type 3 code 13.
    static func text(version: Int, type: Int, code: Int) -> String {
        if version == 6 {
            switch (type, code) {
            case (1, 0): return "destination unreachable: no route"
            case (1, 1): return "destination unreachable: administratively prohibited"
            case (1, 3): return "destination unreachable: address unreachable"
            case (1, 4): return "destination unreachable: port unreachable"
            case (1, 5), (1, 6): return "destination unreachable: rejected by policy"
            case (1, _): return "destination unreachable"
            case (3, _): return "time exceeded"
            default: return "ICMPv6 error"
            }
        }
        switch (type, code) {
        case (3, 0): return "destination unreachable: network unreachable"
        case (3, 1): return "destination unreachable: host unreachable"
        case (3, 3): return "destination unreachable: port unreachable"
        case (3, 9), (3, 10): return "destination unreachable: administratively prohibited (host)"
        case (3, 13): return "destination unreachable: administratively prohibited"
        case (3, _): return "destination unreachable"
        case (11, _): return "time exceeded"
        default: return "ICMP error"
        }
    }

    /// True for the codes a firewall's "reject with icmp admin-prohibited" sends.
    static func isAdminProhibited(version: Int, type: Int, code: Int) -> Bool {
        version == 6 ? (type == 1 && [1, 5, 6].contains(code)) : (type == 3 && [9, 10, 13].contains(code))
    }

    /// True for time exceeded (the probe's TTL ran out at the sender).
    static func isTimeExceeded(version: Int, type: Int) -> Bool {
        version == 6 ? type == 3 : type == 11
    }

    /// The evidence of a queued ICMP error; nil when none was read or it names no sender.
    static func evidence(_ error: nls_icmp_error) -> ICMPEvidence? {
        guard error.present == 1 else { return nil }
        let from = withUnsafeBytes(of: error.offender) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        guard !from.isEmpty else { return nil }
        let version = Int(error.version)
        let type = Int(error.type)
        let code = Int(error.code)
        return ICMPEvidence(
            version: version, type: type, code: code, from: from, text: text(version: version, type: type, code: code),
            adminProhibited: isAdminProhibited(version: version, type: type, code: code),
            ttl: error.ttl >= 0 ? Int(error.ttl) : nil)
    }
}
