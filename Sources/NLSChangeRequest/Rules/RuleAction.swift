/// What a rule does to a path.
public enum RuleAction: String, Codable, Sendable, CaseIterable {
    /// Open the path (an `expect: allow` cell that failed at the network).
    case allow
    /// Close the path (an `expect: block` cell that connected).
    case deny
}
