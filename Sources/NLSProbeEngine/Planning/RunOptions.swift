import NLSProbeCore

/// What `run` and `plan` take from the command line.
public struct RunOptions: Sendable {
    /// Concurrency caps.
    public var limits: ConcurrencyLimits
    /// `--source` and `--bind`.
    public var selection: SourceSelection
    /// `--connect-timeout`, `--attempts`, `--proxy`, `--no-proxy`.
    public var override: SettingsOverride
    /// This host's addresses; nil discovers them from the interfaces.
    public var localAddresses: [IPAddress]?
    /// `--path direct,proxy`: every check twice, direct and through the proxy.
    public var comparePaths = false
    /// `--max-checks`: the most checks a plan may expand to.
    public var maxChecks = PlanLimits.defaultMaxChecks

    /// Creates options.
    public init(
        limits: ConcurrencyLimits = ConcurrencyLimits(), selection: SourceSelection = SourceSelection(),
        override: SettingsOverride = SettingsOverride(), localAddresses: [IPAddress]? = nil
    ) {
        self.limits = limits
        self.selection = selection
        self.override = override
        self.localAddresses = localAddresses
    }
}
