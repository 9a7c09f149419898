import Foundation
import NLSProbeCore
import Synchronization

/// What the exporter knows, shared by the scheduler (which writes it) and the HTTP handlers
/// (which only read it, and count themselves): the latest complete report of each profile and the
/// exporter's counters. Every access holds a lock for a copy or an increment only.
public final class ExporterState: Sendable {
    /// How a scheduled run ended, as `nlsprobe_serve_runs_total` labels it.
    public enum RunOutcome: String, Sendable, CaseIterable {
        /// Every profile ran to the end and was published.
        case complete
        /// A shutdown cut the run; its reports were not published.
        case interrupted
        /// The run could not be made (a profile, the token or a setting no longer loads; a plan
        /// too large once resolved).
        case error
    }

    /// Where an error happened, as `nlsprobe_serve_errors_total` labels it.
    public enum ErrorStage: String, Sendable, CaseIterable {
        /// The profiles, the token or the settings could not be loaded again for a run.
        case configuration
        /// The run itself failed (plan too large once resolved, file names, capture).
        case run
        /// A report could not be written to `--output`.
        case report
    }

    /// A copy of the state, for rendering.
    public struct Snapshot: Sendable {
        /// The profiles served, in the order given.
        public var profiles: [String]
        /// The latest complete report of each profile that has one.
        public var published: [String: PublishedReport] = [:]
        /// The metrics of every published report, merged (see ``PrometheusExposition``).
        public var reportMetrics = ""
        /// Scheduled runs by outcome.
        public var runs: [RunOutcome: Int] = [:]
        /// Checks sent, by profile.
        public var checks: [String: Int] = [:]
        /// How long the last complete run of each profile took, in seconds.
        public var runDuration: [String: Double] = [:]
        /// When the last run of each profile whose every check passed finished (seconds since 1970).
        public var lastSuccess: [String: Double] = [:]
        /// Errors by stage.
        public var errors: [ErrorStage: Int] = [:]
        /// Requests by route.
        public var requests: [ServeRoute: Int] = [:]
        /// True while a run goes on.
        public var running = false
        /// When the next run starts (seconds since 1970), nil while one runs or once stopping.
        public var nextRun: Double?
        /// True once the first run has completed: the exporter is ready.
        public var ready = false
        /// True once a shutdown was asked for.
        public var stopping = false
        /// The schedule.
        public var schedule: ServeSchedule
        /// When the exporter started (seconds since 1970).
        public var started: Double
    }

    private let fields: Mutex<Snapshot>

    /// A state for `profiles` (their names, in order) run on `schedule`.
    public init(profiles: [String], schedule: ServeSchedule, started: Date = Date()) {
        fields = Mutex(
            Snapshot(profiles: profiles, schedule: schedule, started: started.timeIntervalSince1970))
    }

    /// A copy of everything.
    public func snapshot() -> Snapshot { fields.withLock { $0 } }

    /// The latest complete report of `profile`.
    public func published(_ profile: String) -> PublishedReport? { fields.withLock { $0.published[profile] } }

    /// True once the first run has completed.
    public var isReady: Bool { fields.withLock { $0.ready } }

    /// Counts a request.
    public func count(_ route: ServeRoute) { fields.withLock { $0.requests[route, default: 0] += 1 } }

    /// Counts an error.
    public func count(_ stage: ErrorStage) { fields.withLock { $0.errors[stage, default: 0] += 1 } }

    /// A run starts.
    public func runStarted() {
        fields.withLock { state in
            state.running = true
            state.nextRun = nil
        }
    }

    /// A profile's run finished: counts its checks, and publishes the report unless the run was
    /// interrupted (a cut run would replace a complete report with a partial one).
    public func finished(_ report: Report, duration: Double, finished: Date = Date()) {
        let published = report.run.interrupted ? nil : PublishedReport(report)
        fields.withLock { state in
            state.checks[report.profile.name, default: 0] += report.checks.filter { $0.verdict != .skipped }.count
            guard let published else { return }
            let name = report.profile.name
            state.published[name] = published
            state.runDuration[name] = duration
            if report.summary.verdict == .pass { state.lastSuccess[name] = finished.timeIntervalSince1970 }
            state.reportMetrics = PrometheusExposition.merge(
                state.profiles.compactMap { state.published[$0]?.metrics })
        }
    }

    /// A run ended: counts its outcome; a complete run makes the exporter ready.
    public func runEnded(_ outcome: RunOutcome, nextRun: Date?) {
        fields.withLock { state in
            state.running = false
            state.runs[outcome, default: 0] += 1
            if outcome == .complete { state.ready = true }
            state.nextRun = state.stopping ? nil : nextRun?.timeIntervalSince1970
        }
    }

    /// A shutdown was asked for: no next run.
    public func markStopping() {
        fields.withLock { state in
            state.stopping = true
            state.nextRun = nil
        }
    }
}
