import Foundation
import NLSProbeCore
import NLSProbeRun
import ServiceLifecycle
import Synchronization

/// The scheduler: a run at start, then one each interval (with jitter) after the previous one
/// ended, never two at once, until ``stop()``. Each run loads the profiles, the token and the
/// gridd.conf afresh (a licensing ConfigMap updated in place is used at the next run); what cannot
/// be loaded any more is counted as an error and the last complete report stays served.
final class AuditLoop: Service, Sendable {
    private let configuration: ServeConfiguration
    private let state: ExporterState
    private let events: ServeEvents
    /// The session the exporter checked everything with at start: the first run uses it.
    private let first: Mutex<RunSession?>
    /// The session of the run in progress, to interrupt it.
    private let current = Mutex<RunSession?>(nil)
    /// The wait between two runs, to cut it short.
    private let sleeper = Mutex<Task<Void, Never>?>(nil)
    private let stopped = Atomic<Bool>(false)
    /// Opens when the HTTP server listens: no probe is sent by an exporter that cannot serve.
    private let serverStarted: AsyncStream<Void>

    init(
        configuration: ServeConfiguration, state: ExporterState, events: ServeEvents, first: RunSession,
        serverStarted: AsyncStream<Void>
    ) {
        self.configuration = configuration
        self.state = state
        self.events = events
        self.first = Mutex(first)
        self.serverStarted = serverStarted
    }

    /// True once ``stop()`` was called.
    var isStopped: Bool { stopped.load(ordering: .acquiring) }

    /// Stops the loop: the run in progress is cut (its checks in flight end within a second and
    /// its reports are not published), the wait for the next one ends.
    func stop() {
        stopped.store(true, ordering: .releasing)
        state.markStopping()
        current.withLock { $0?.interrupt() }
        sleeper.withLock { $0?.cancel() }
    }

    /// Runs until ``stop()``, or until the task is cancelled (the server could not start).
    func run() async {
        defer { first.withLock { $0.take()?.shutdown() } }
        var started = false
        for await _ in serverStarted {
            started = true
            break
        }
        guard started, !Task.isCancelled else { return }
        var number = 0
        var lastMessages: [RunMessage] = []
        while !isStopped && !Task.isCancelled {
            number += 1
            let clock = ContinuousClock()
            let began = clock.now
            state.runStarted()
            let (outcome, summaries) = await runOnce(lastMessages: &lastMessages)
            let elapsed = began.duration(to: clock.now)
            let duration = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let delay = isStopped ? nil : configuration.schedule.nextDelay()
            state.runEnded(outcome, nextRun: delay.map { Date().addingTimeInterval($0) })
            events.runEnded(
                ServeRunSummary(
                    number: number, outcome: outcome, profiles: summaries, duration: duration, nextRun: delay))
            guard let delay else { break }
            await wait(seconds: delay)
        }
    }

    /// One run of every profile; its outcome and each profile's summary.
    private func runOnce(lastMessages: inout [RunMessage]) async -> (
        ExporterState.RunOutcome, [(name: String, summary: Summary)]
    ) {
        let session: RunSession
        if let ready = first.withLock({ $0.take() }) {
            session = ready
        } else {
            var messages: [RunMessage] = []
            do {
                session = try RunSession(configuration.run, messages: &messages)
            } catch {
                state.count(.configuration)
                events.message(RunMessage(.error, "\(error.description); the last complete report stays served"))
                return (.error, [])
            }
            // The same warning (a token about to expire) is said once, not at every run.
            if messages != lastMessages { messages.forEach(events.message) }
            lastMessages = messages
        }
        current.withLock { $0 = session }
        if isStopped { session.interrupt() }
        defer {
            current.withLock { $0 = nil }
            session.shutdown()
        }
        let state = self.state
        let events = self.events
        let stopwatch = Stopwatch()
        let runEvents = RunEvents(
            message: events.message,
            finished: { result in
                // A profile's time: from the end of the one before (or the start of the run).
                state.finished(result.report, duration: stopwatch.lap())
                if !result.saved { state.count(.report) }
            })
        do {
            let results = try await session.run(events: runEvents)
            let summaries = results.map { (name: $0.report.profile.name, summary: $0.report.summary) }
            let cut = session.isInterrupted || results.contains { $0.report.run.interrupted }
            return (cut ? .interrupted : .complete, summaries)
        } catch {
            state.count(.run)
            events.message(RunMessage(.error, "\(error.description); the last complete report stays served"))
            return (.error, [])
        }
    }

    /// Waits `seconds`, or less when ``stop()`` is called.
    private func wait(seconds: Double) async {
        let task = Task { _ = try? await Task.sleep(for: .milliseconds(Int64(seconds * 1000))) }
        sleeper.withLock { $0 = task }
        if isStopped || Task.isCancelled { task.cancel() }
        await withTaskCancellationHandler {
            await task.value
        } onCancel: {
            task.cancel()
        }
        sleeper.withLock { $0 = nil }
    }
}

/// Seconds between laps, for the time each profile of a run took.
private final class Stopwatch: Sendable {
    private let clock = ContinuousClock()
    private let last: Mutex<ContinuousClock.Instant>

    init() { last = Mutex(clock.now) }

    /// Seconds since the last lap (or the start), and a new lap.
    func lap() -> Double {
        let now = clock.now
        let elapsed = last.withLock { last in
            defer { last = now }
            return last.duration(to: now)
        }
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}
