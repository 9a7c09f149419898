/// The rules a report asks for, and the failures no rule fixes.
public struct RuleSet: Codable, Sendable, Equatable {
    /// The profile the report ran.
    public var profile: String
    /// When the run started (UTC).
    public var runStarted: String
    /// The host that ran it.
    public var host: String
    /// The rules, allow rules first, in source, destination and port order.
    public var rules: [FirewallRule]
    /// The failed or inconclusive checks no rule fixes.
    public var unfixable: [UnfixableFailure]

    /// True when the report needs nothing: no rule, nothing apart.
    public var isEmpty: Bool { rules.isEmpty && unfixable.isEmpty }
    /// How many checks the rules fix.
    public var fixedChecks: Int { rules.reduce(0) { $0 + $1.checks.count } }
}
