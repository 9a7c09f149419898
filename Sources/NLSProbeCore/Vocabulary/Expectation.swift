/// What the firewall change request says should happen to a flow.
public enum Expectation: String, Codable, Sendable, CaseIterable {
    /// The path must work.
    case allow
    /// The path must be closed.
    case block
}
