import NLSProbeCore

/// What a run tells its caller while it goes on. Every callback may be called from any thread.
public struct RunEvents: Sendable {
    /// A note, warning or error to show.
    public var message: @Sendable (RunMessage) -> Void
    /// Checks finished so far, out of the plan's total, for the profile being run.
    public var progress: @Sendable (_ done: Int, _ total: Int) -> Void
    /// A profile finished: its report and the files written.
    public var finished: @Sendable (RunResult) -> Void

    /// Events sent to the given callbacks (each does nothing when left out).
    public init(
        message: @escaping @Sendable (RunMessage) -> Void = { _ in },
        progress: @escaping @Sendable (_ done: Int, _ total: Int) -> Void = { _, _ in },
        finished: @escaping @Sendable (RunResult) -> Void = { _ in }
    ) {
        self.message = message
        self.progress = progress
        self.finished = finished
    }
}

/// One profile's run: its report and where it was written.
public struct RunResult: Sendable {
    /// The report.
    public var report: Report
    /// Every file written for it, the JSON report first (in the fallback folder when the output
    /// folder refused it).
    public var files: [String]
    /// False when some report did not reach the output folder.
    public var saved: Bool
}
