import NLSProbeCore
import NLSProbeRun

/// What the exporter tells its caller while it serves. Every callback may be called from any thread.
public struct ServeEvents: Sendable {
    /// A note, warning or error to show.
    public var message: @Sendable (RunMessage) -> Void
    /// The server listens at this address (the port the system chose, when 0 was asked for).
    public var listening: @Sendable (ListenAddress) -> Void
    /// A scheduled run ended.
    public var runEnded: @Sendable (ServeRunSummary) -> Void

    /// Events sent to the given callbacks (each does nothing when left out).
    public init(
        message: @escaping @Sendable (RunMessage) -> Void = { _ in },
        listening: @escaping @Sendable (ListenAddress) -> Void = { _ in },
        runEnded: @escaping @Sendable (ServeRunSummary) -> Void = { _ in }
    ) {
        self.message = message
        self.listening = listening
        self.runEnded = runEnded
    }
}

/// One scheduled run, as the exporter's log line tells it.
public struct ServeRunSummary: Sendable {
    /// 1 for the first run.
    public var number: Int
    /// How it ended.
    public var outcome: ExporterState.RunOutcome
    /// The summary of each profile that ran, by name, in order.
    public var profiles: [(name: String, summary: Summary)]
    /// Seconds the run took.
    public var duration: Double
    /// Seconds until the next run; nil when there is none (the exporter is stopping).
    public var nextRun: Double?
}
