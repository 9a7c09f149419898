/// Limits on how many checks run at once.
public struct ConcurrencyLimits: Sendable, Equatable {
    /// Checks in flight at once, across all destinations.
    public var global: Int
    /// Checks in flight at once towards one destination address (or proxied host name).
    public var perDestination: Int

    /// Creates limits; values below 1 become 1.
    public init(global: Int = 256, perDestination: Int = 64) {
        self.global = max(1, global)
        self.perDestination = max(1, perDestination)
    }
}
