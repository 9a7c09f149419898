import NLSProbeRun

/// Everything `nlsprobe serve` needs: the run (profiles, settings, token), the schedule, and
/// where and how the HTTP server listens.
public struct ServeConfiguration: Sendable {
    /// The run made at each tick. With ``RunConfiguration/writesReports`` false (the default
    /// here) the reports stay in memory; true also writes every run's reports to its `output`.
    public var run: RunConfiguration
    /// When the runs happen.
    public var schedule: ServeSchedule
    /// Where the HTTP server listens (loopback by default).
    public var listen = ListenAddress.loopback
    /// Connections served at once; more wait in the listen backlog (bounds the descriptors the
    /// server may take from the probe engine).
    public var maximumConnections = 256
    /// A connection that sends or reads nothing for this many seconds is closed (slow clients).
    public var idleTimeout: Int64 = 5
    /// Seconds a shutdown waits for connections to finish before it closes them.
    public var shutdownGrace: Int64 = 5

    /// A serve of `run` on `schedule`; the run's reports are kept in memory only.
    public init(run: RunConfiguration, schedule: ServeSchedule) {
        var run = run
        run.writesReports = false
        self.run = run
        self.schedule = schedule
    }
}
