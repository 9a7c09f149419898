import NLSProbeCore

/// What a check asks of the firewall: a rule (allow or deny), nothing a rule fixes, or nothing.
///
/// `expect: allow` checks that failed at the network (filtered, unreachable, refused by a
/// middlebox, proxy-denied) need an allow rule; `expect: block` checks that connected need a deny
/// rule. DNS, certificates, TLS inspection, proxy credentials, a destination that refused by
/// itself and every other failure of a working path are listed apart, never made into rules.
enum CheckTriage {
    /// What one check needs.
    enum Need {
        /// A rule: one port of one source to one destination.
        case rule(RuleNeed)
        /// Nothing a rule fixes.
        case apart(UnfixableFailure.Kind)
        /// Nothing: the check passed or did not run.
        case nothing
    }

    /// One port of one source to one destination, and what the report says about it.
    struct RuleNeed {
        var action: RuleAction
        var source: String
        var sourceGroup: String
        var destination: String
        var host: String
        var port: Int
        var enforcedAt: String
        var inTheWay: String
        var unconfirmed: String?
        var services: [String]
        var check: String
    }

    /// What `check` needs; `report` holds the other checks (a SYN-ACK from the same address tells
    /// whether a reset came from the server itself).
    static func need(_ check: CheckRecord, in report: Report) -> Need {
        guard check.verdict == .fail || check.verdict == .inconclusive, let observed = check.observed else {
            return .nothing
        }
        if check.expect == .block {
            guard check.verdict == .fail, observed.tcpGotThrough else { return .apart(kind(of: observed)) }
            return .rule(
                ruleNeed(check, action: .deny, inTheWay: "nothing: the path is open (\(observed.rawValue))"))
        }
        guard check.verdict == .fail else { return .apart(kind(of: observed)) }
        if let proxy = check.proxy {
            guard observed == .proxyDenied else {
                return .apart([.filtered, .refused, .unreachable].contains(observed) ? .proxyPath : kind(of: observed))
            }
            let status = check.evidence.proxy?.status.map { ": \($0)" } ?? ""
            return .rule(ruleNeed(check, action: .allow, inTheWay: "proxy \(proxy) refuses CONNECT\(status)"))
        }
        let wire = check.evidence.wire
        // The path trace's first clause: "dropped after hop 1 (198.18.10.1)", "reset by hop 2 (…)".
        let path = check.evidence.path
        let whereItStops = path.flatMap { $0.summary.split(separator: ";").first.map(String.init) }
        switch observed {
        case .filtered:
            let seen = wire.map { "no answer to \($0.synsSent) SYN\($0.synsSent == 1 ? "" : "s")" } ?? "no answer"
            let located = path?.stop == .dropped ? whereItStops.map { " (\($0))" } ?? "" : ""
            return .rule(ruleNeed(check, action: .allow, inTheWay: "\(seen): a silent drop on the path\(located)"))
        case .unreachable:
            if let wire, wire.answer == .icmp {
                let kind = wire.icmpAdminProhibited ? "a firewall's reject: " : ""
                let text = "\(kind)ICMP \(wire.icmp ?? "error") from \(wire.answerFrom ?? "?")"
                return .rule(ruleNeed(check, action: .allow, inTheWay: text))
            }
            // The check's own socket read the ICMP error (IP_RECVERR): no capture needed.
            if let icmp = check.evidence.icmp {
                let kind = icmp.adminProhibited ? "a firewall's reject: " : ""
                return .rule(ruleNeed(check, action: .allow, inTheWay: "\(kind)ICMP \(icmp.summary)"))
            }
            return .rule(
                ruleNeed(
                    check, action: .allow,
                    inTheWay: "an ICMP error or a missing route (run with --capture to name who sent it)"))
        case .refused:
            // The trace saw the reset come from a hop before the destination: a device on the path.
            if wire?.injectedReset != true, path?.stop == .reset, let whereItStops {
                return .rule(
                    ruleNeed(check, action: .allow, inTheWay: "a reset from a device on the path: \(whereItStops)"))
            }
            if let wire, wire.injectedReset {
                let ttl = wire.resetTtl.flatMap { reset in wire.pathTtl.map { " (its TTL \(reset), the path's \($0))" }
                }
                return .rule(
                    ruleNeed(
                        check, action: .allow, inTheWay: "a reset injected by a firewall or middlebox\(ttl ?? "")"))
            }
            if let wire, wire.answer == .reset, resetCameFromServer(check, wire: wire, in: report) {
                return .apart(.serviceDown)
            }
            var need = ruleNeed(check, action: .allow, inTheWay: "a TCP reset")
            let destination = "\(check.destination.address ?? check.destination.host):\(check.flow.port)"
            need.unconfirmed =
                wire == nil
                ? "nothing shows who sent the reset (run with --capture): if nothing listens on \(destination), this rule will not help"
                : "the capture could not tell who sent the reset (no SYN-ACK from that address to compare): if nothing listens on \(destination), this rule will not help"
            return .rule(need)
        default:
            return .apart(kind(of: observed))
        }
    }

    /// True when a check to the same address got a SYN-ACK with the TTL this reset has: the
    /// server answered both.
    static func resetCameFromServer(_ check: CheckRecord, wire: WireEvidence, in report: Report) -> Bool {
        guard let address = check.destination.address, let ttl = wire.answerTtl ?? wire.resetTtl else { return false }
        return report.checks.contains { other in
            guard let otherWire = other.evidence.wire, other.destination.address == address else { return false }
            return otherWire.answer == .synAck && otherWire.answerTtl == ttl
        }
    }

    static func ruleNeed(_ check: CheckRecord, action: RuleAction, inTheWay: String) -> RuleNeed {
        let source =
            check.source.subnet ?? check.source.address ?? check.evidence.localAddress
            ?? "source group \(check.source.group)"
        let atProxy = check.proxy
        return RuleNeed(
            action: action, source: source, sourceGroup: check.source.group,
            destination: atProxy == nil ? check.destination.address ?? check.destination.host : check.destination.host,
            host: check.destination.host, port: check.flow.port,
            enforcedAt: atProxy.map { "proxy \($0)" } ?? "firewall", inTheWay: inTheWay, unconfirmed: nil,
            services: check.flow.services, check: check.id)
    }

    /// The kind of a failure no rule fixes.
    static func kind(of observed: Observed) -> UnfixableFailure.Kind {
        switch observed {
        case .dnsFailed: .dns
        case .tlsUntrusted: .untrustedCertificate
        case .tlsIntercepted: .tlsInterception
        case .proxyAuthRequired: .proxyCredentials
        case .tlsFailed: .tlsHandshake
        case .httpError: .httpError
        case .proxyUnreachable: .proxyUnreachable
        case .proxyFailed: .proxyFailed
        case .proxyUnverified: .proxyUnverified
        case .refused: .serviceDown
        case .localError, .open, .filtered, .unreachable, .proxyDenied: .localError
        }
    }
}
