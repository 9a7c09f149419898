/// When, where and how a run happened.
public struct RunInfo: Codable, Sendable, Equatable {
    /// Start time, UTC, ISO 8601.
    public var started: String
    /// End time, UTC, ISO 8601.
    public var finished: String
    /// This host's name.
    public var host: String
    /// The source groups this host ran.
    public var localSources: [String]
    /// The local addresses checks were sent from.
    public var localAddresses: [String]
    /// The proxy setting of the run ("direct", "environment", or the proxy URL without credentials).
    public var proxy: String
    /// True when the run was interrupted before every check finished.
    public var interrupted: Bool
    /// The packet capture file of the run (`--capture`), absent without one.
    public var capture: String?
    /// Problems found besides the network (an expired token), absent when none.
    public var warnings: [String]?
    /// Server clocks further off than this many seconds are flagged (licensing fails on skew).
    public var clockSkewLimitS: Double?

    /// Creates run information.
    public init(
        started: String, finished: String, host: String, localSources: [String], localAddresses: [String],
        proxy: String, interrupted: Bool = false
    ) {
        self.started = started
        self.finished = finished
        self.host = host
        self.localSources = localSources
        self.localAddresses = localAddresses
        self.proxy = proxy
        self.interrupted = interrupted
    }
}
