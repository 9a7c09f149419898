/// When a check's path is traced (profile key `trace`, `--trace`).
public enum TraceMode: String, Sendable, Equatable, CaseIterable {
    /// Never (the default): no packet beyond the check's own.
    case off
    /// For a check that ended filtered, unreachable, refused or tls-failed: SYNs with TTL 1, 2, 3…
    /// find the hop that drops or rejects it; for dns-failed, the resolvers are asked directly.
    case onFailure = "on-failure"
}
