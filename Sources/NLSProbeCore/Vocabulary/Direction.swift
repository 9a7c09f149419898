/// The firewall's point of view on a flow; a label carried into reports.
public enum Direction: String, Codable, Sendable, CaseIterable {
    /// Leaving the protected network.
    case egress
    /// Entering the protected network.
    case ingress
}
