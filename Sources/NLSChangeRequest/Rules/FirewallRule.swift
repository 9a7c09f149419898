/// One rule to request, aggregated the way a firewall team writes them: a source, the
/// destinations that need the same ports, the ports merged into ranges, and the checks it fixes.
public struct FirewallRule: Codable, Sendable, Equatable {
    /// Its number in the list, from 1.
    public var number: Int
    /// Allow or deny.
    public var action: RuleAction
    /// The source: a subnet ("198.18.10.0/24"), an address, or "source group NAME" when the
    /// report knows neither.
    public var source: String
    /// The source groups of the checks.
    public var sourceGroups: [String]
    /// The destination addresses (or host names, where the report has no address, as at a proxy).
    public var destinations: [String]
    /// The destination host names as the profile names them.
    public var hosts: [String]
    /// Always "tcp": every nlsprobe check is a TCP path.
    public var `protocol`: String
    /// The ports, merged into ranges.
    public var ports: [PortRange]
    /// The services the rule serves (from the flows).
    public var services: [String]
    /// Where the rule goes: "firewall" (the firewall in the path), or "proxy URL" (the proxy's ACL).
    public var enforcedAt: String
    /// What the report says is in the way (or, for a deny, that the path is open), per distinct finding.
    public var inTheWay: [String]
    /// Why the rule may not be enough, when the report cannot tell (a reset of unknown origin).
    public var unconfirmed: [String]
    /// The ids of the checks the rule makes pass.
    public var checks: [String]

    /// True when the rule belongs to the firewall in the path (not to a proxy's ACL).
    public var isFirewallRule: Bool { enforcedAt == "firewall" }
}
