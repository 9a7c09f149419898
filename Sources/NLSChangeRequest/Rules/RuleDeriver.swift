import NLSProbeCore

/// Derives from a report the rules a firewall must change so that every failed cell passes,
/// aggregated the way a firewall team writes them: per source, the destinations that need the
/// same ports, ports merged into ranges, one row per distinct rule, each citing the checks it
/// fixes and what is in the way. Failures no rule fixes are listed apart with their hint.
public enum RuleDeriver {
    /// The rules and the failures apart; `hint` gives the next step for a check (the Markdown
    /// report's hint, `Hints.hint(for:profile:)` in NLSReporting).
    public static func derive(from report: Report, hint: (CheckRecord) -> String) -> RuleSet {
        var needs: [CheckTriage.RuleNeed] = []
        var unfixable: [UnfixableFailure] = []
        for check in report.checks {
            switch CheckTriage.need(check, in: report) {
            case .rule(let need): needs.append(need)
            case .apart(let kind):
                unfixable.append(
                    UnfixableFailure(
                        check: check.id, observed: check.observed, verdict: check.verdict, kind: kind, why: kind.why,
                        reason: check.reason, hint: hint(check)))
            case .nothing: break
            }
        }
        return RuleSet(
            profile: report.profile.name, runStarted: report.run.started, host: report.run.host,
            rules: aggregate(needs), unfixable: unfixable)
    }

    /// Per (action, where, source, destination) the ports; then per (action, where, source,
    /// ports) the destinations.
    static func aggregate(_ needs: [CheckTriage.RuleNeed]) -> [FirewallRule] {
        struct PairKey: Hashable {
            var action: RuleAction
            var enforcedAt: String
            var source: String
            var destination: String
        }
        var pairs: [PairKey: [CheckTriage.RuleNeed]] = [:]
        var pairOrder: [PairKey] = []
        for need in needs {
            let key = PairKey(
                action: need.action, enforcedAt: need.enforcedAt, source: need.source, destination: need.destination)
            if pairs[key] == nil { pairOrder.append(key) }
            pairs[key, default: []].append(need)
        }
        struct RuleKey: Hashable {
            var action: RuleAction
            var enforcedAt: String
            var source: String
            var ports: [PortRange]
        }
        var rules: [RuleKey: [CheckTriage.RuleNeed]] = [:]
        var ruleDestinations: [RuleKey: [String]] = [:]
        var ruleOrder: [RuleKey] = []
        for pair in pairOrder {
            let members = pairs[pair] ?? []
            let key = RuleKey(
                action: pair.action, enforcedAt: pair.enforcedAt, source: pair.source,
                ports: PortRange.ranges(of: members.map(\.port)))
            if rules[key] == nil { ruleOrder.append(key) }
            rules[key, default: []] += members
            ruleDestinations[key, default: []].append(pair.destination)
        }
        var built = ruleOrder.map { key -> FirewallRule in
            let members = rules[key] ?? []
            return FirewallRule(
                number: 0, action: key.action, source: key.source,
                sourceGroups: distinct(members.map(\.sourceGroup)),
                destinations: sortedAddresses(distinct(ruleDestinations[key] ?? [])),
                hosts: distinct(members.map(\.host)).sorted(), protocol: "tcp", ports: key.ports,
                services: distinct(members.flatMap(\.services)), enforcedAt: key.enforcedAt,
                inTheWay: distinct(members.map(\.inTheWay)), unconfirmed: distinct(members.compactMap(\.unconfirmed)),
                checks: distinct(members.map(\.check)))
        }
        built.sort { lhs, rhs in
            if lhs.action != rhs.action { return lhs.action == .allow }
            if lhs.enforcedAt != rhs.enforcedAt { return lhs.isFirewallRule }
            if lhs.source != rhs.source { return addressOrder(lhs.source, rhs.source) }
            if lhs.destinations != rhs.destinations {
                return addressOrder(lhs.destinations.first ?? "", rhs.destinations.first ?? "")
            }
            return (lhs.ports.first?.from ?? 0) < (rhs.ports.first?.from ?? 0)
        }
        for index in built.indices { built[index].number = index + 1 }
        return built
    }

    static func distinct(_ values: [String]) -> [String] {
        var seen = Set<String>()
        return values.filter { seen.insert($0).inserted }
    }

    static func sortedAddresses(_ values: [String]) -> [String] {
        values.sorted(by: addressOrder)
    }

    /// Addresses (and subnets) in numeric order, IPv4 first; names after them, alphabetically.
    static func addressOrder(_ lhs: String, _ rhs: String) -> Bool {
        func key(_ text: String) -> [UInt8]? {
            let address = text.split(separator: "/").first.map(String.init) ?? text
            return IPAddress(address).map { [$0.isIPv6 ? 1 : 0] + $0.bytes }
        }
        switch (key(lhs), key(rhs)) {
        case (let left?, let right?): return left.lexicographicallyPrecedes(right) || (left == right && lhs < rhs)
        case (.some, nil): return true
        case (nil, .some): return false
        case (nil, nil): return lhs < rhs
        }
    }
}
