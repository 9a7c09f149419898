import NLSProbeCore

/// The rules as nftables commands for a Linux firewall in the path, applied with `nft -f FILE`:
/// each rule is inserted at the head of an existing chain, so that an accept is read before the
/// drop it fixes and a drop before the accept it closes. Deny rules end up above allow rules.
/// Rules that are not this firewall's (a proxy's ACL), or that name no address (a source group
/// without a subnet, a destination known only by name), are left out as comments saying why.
public enum RulesNftables {
    /// The nft script for `rules` in `target`'s chain.
    public static func render(_ rules: RuleSet, target: NftTarget) -> String {
        var lines = [
            "#!/usr/sbin/nft -f",
            "# nlsprobe rules for profile \(RuleText.nftComment(rules.profile)), run of \(RuleText.nftComment(rules.runStarted)) on \(RuleText.nftComment(rules.host))",
            "# Each rule is inserted at the head of chain \(target.chainReference), ahead of the rules already there:",
            "# an accept before the drop it fixes, a drop before the accept it closes. Apply with: nft -f FILE",
        ]
        var commands: [(rule: FirewallRule, lines: [String])] = []
        var skipped: [String] = []
        for rule in rules.rules {
            switch command(rule, target: target) {
            case .success(let command):
                let about =
                    "# rule \(rule.number): \(rule.action.rawValue) \(rule.source) -> \(rule.destinations.joined(separator: ", ")) tcp/\(PortRange.text(rule.ports))"
                let fixes = rule.checks.map { "#   fixes: \($0)" }
                let warnings = rule.unconfirmed.map { "#   unconfirmed: \($0)" }
                commands.append((rule, ([about] + fixes + warnings).map(RuleText.nftComment) + [command]))
            case .failure(let skip):
                skipped.append(RuleText.nftComment("# rule \(rule.number) is not written here: \(skip.reason)"))
            }
        }
        if commands.isEmpty { lines.append("# no rule for this firewall") }
        // Inserted in reverse so that the chain lists deny rules first, then allow rules, each in
        // the order of their numbers.
        let denies = commands.filter { $0.rule.action == .deny }
        let allows = commands.filter { $0.rule.action == .allow }
        for entry in allows.reversed() + denies.reversed() { lines += entry.lines }
        lines += skipped
        return lines.joined(separator: "\n") + "\n"
    }

    /// One `insert rule` command, or why the rule cannot be one.
    static func command(_ rule: FirewallRule, target: NftTarget) -> Result<String, NftSkip> {
        guard rule.isFirewallRule else {
            return .failure(
                NftSkip(
                    "it belongs to \(rule.enforcedAt)'s ACL (\(rule.action == .allow ? "allow" : "deny") CONNECT to \(rule.hosts.joined(separator: ", ")) port \(PortRange.text(rule.ports)))"
                ))
        }
        guard let source = network(rule.source) else {
            return .failure(NftSkip("its source '\(rule.source)' is not an address or a subnet"))
        }
        let addresses = rule.destinations.compactMap { IPAddress($0) }
        guard addresses.count == rule.destinations.count else {
            return .failure(
                NftSkip("a destination is known only by name (\(rule.destinations.joined(separator: ", ")))"))
        }
        let v6 = source.isIPv6
        guard addresses.allSatisfy({ $0.isIPv6 == v6 }) else {
            return .failure(NftSkip("it mixes IPv4 and IPv6 addresses"))
        }
        if (target.family == "ip" && v6) || (target.family == "ip6" && !v6) {
            return .failure(NftSkip("its addresses are IPv\(v6 ? 6 : 4), table family \(target.family) is not"))
        }
        let family = v6 ? "ip6" : "ip"
        let destinations = addresses.map(\.description)
        let daddr = destinations.count == 1 ? destinations[0] : "{ \(destinations.joined(separator: ", ")) }"
        let ports = rule.ports.map(\.description)
        let dport = ports.count == 1 ? ports[0] : "{ \(ports.joined(separator: ", ")) }"
        let verdict = rule.action == .allow ? "accept" : "drop"
        return .success(
            "insert rule \(target.chainReference) \(family) saddr \(source.text) \(family) daddr \(daddr) tcp dport \(dport) counter \(verdict) comment \"nlsprobe rule \(rule.number)\""
        )
    }

    /// A subnet with its host bits cleared ("198.18.10.0/24"), or one address; nil when neither.
    static func network(_ text: String) -> (text: String, isIPv6: Bool)? {
        if let address = IPAddress(text) { return (address.description, address.isIPv6) }
        guard text.contains("/"), let cidr = CIDR(text) else { return nil }
        var bytes = cidr.address.bytes
        var remaining = cidr.prefixLength
        for index in bytes.indices {
            let bits = max(0, min(8, remaining))
            bytes[index] &= bits == 0 ? 0 : UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
            remaining -= 8
        }
        guard let network = IPAddress(bytes: bytes) else { return nil }
        let full = bytes.count * 8
        return (cidr.prefixLength == full ? network.description : "\(network)/\(cidr.prefixLength)", network.isIPv6)
    }
}

/// Why a rule is not written as an nft command.
struct NftSkip: Error {
    var reason: String
    init(_ reason: String) { self.reason = reason }
}
