/// Bounds of path tracing, in time and packets, so a trace never runs long or looks like a scan.
public struct TraceLimits: Sendable, Equatable {
    /// The highest TTL probed.
    public var maxHops = 16
    /// Seconds to wait for an answer to one probe.
    public var hopWait: Double = 1
    /// A trace stops after this many silent hops in a row.
    public var silentHopsToStop = 3
    /// Seconds one trace may take in all.
    public var traceBudget: Double = 20
    /// Seconds all the traces of a run may take in all; later ones are not started.
    public var runBudget: Double = 120
    /// Traces run at once (each sends one probe at a time).
    public var concurrentTraces = 4
    /// Seconds between any two probes of the run (a global pace: at most 50 probes a second).
    public var probeInterval: Double = 0.02
    /// Checks traced in one run, at most; the others say they were not.
    public var maxTraces = 256

    /// The defaults.
    public init() {}
}
