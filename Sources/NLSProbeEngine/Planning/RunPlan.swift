import NLSProbeCore

/// A profile expanded against this host: what would run, from where, and what would be skipped.
public struct RunPlan: Sendable {
    /// The profile with command-line overrides applied.
    public var profile: Profile
    /// Every check in plan order.
    public var checks: [PlannedCheck]
    /// The source groups this host runs.
    public var localSources: [String]
    /// This host's interface addresses.
    public var localAddresses: [IPAddress]
}
