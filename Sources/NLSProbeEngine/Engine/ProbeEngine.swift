import Foundation
import Logging
import NLSProbeCore
import Synchronization

/// The probe engine: a few threads (one per core, at most four), each owning a libcurl multi
/// handle; attempts are dealt to them in turn and the global cap is split between them, while the
/// per-destination cap is counted once for all of them.
/// Attempts are submitted through each loop's mutex-protected inbox and finished through completion
/// handlers (called on an engine thread).
public final class ProbeEngine: Sendable {
    private let loops: [MultiLoop]
    private let slots: DestinationSlots
    private let turn = Atomic<Int>(0)
    private let interruptHooks = Mutex<[@Sendable () -> Void]>([])
    private let logger: Logger
    /// The limits in force (the global one already bounded by the open-file limit).
    public let limits: ConcurrencyLimits
    /// Sockets the process may have open for checks: the open-file limit less a reserve. Sockets
    /// handed over with results stay open until settled, so the runner keeps its unsettled attempts
    /// within this.
    let socketBudget: Int
    /// Attempts the engine may hold in flight, counted or presumed dropped (see `DestinationSlots`):
    /// `MultiLoop.inFlightFactor` times the global cap, within the socket budget.
    var inFlightCeiling: Int { min(limits.global * MultiLoop.inFlightFactor, socketBudget) }

    /// Starts the engine threads.
    /// `logger` receives diagnostics: the limits in force at debug level, every attempt's raw
    /// libcurl result at trace level. Credentials are never logged.
    /// `proxyCredentials` ("user:password", from `--proxy-credentials-file`) wins over the variable a
    /// profile names; it is handed to libcurl only.
    /// `loadLibcurl`: load libcurl now, so that a host without it fails here, before anything is
    /// sent (`EngineError.curlNotLoaded`). Pass false when every check is a direct `tcp` one: the
    /// engine then starts without libcurl (about 7 ms less at every start) and loads it at the first
    /// check that needs it, if any (that check ends as a local error when it cannot be loaded).
    public init(
        limits: ConcurrencyLimits = ConcurrencyLimits(), userAgent: String = "nlsprobe",
        logger: Logger = Logger(label: "nlsprobe.engine"), proxyCredentials: String? = nil,
        bindBeforeConnect: Bool = false, loadLibcurl: Bool = true
    ) throws(EngineError) {
        if loadLibcurl { try CurlLibrary.initialized.get() }
        let fileLimit = FileLimits.raiseAndReport()
        socketBudget = FileLimits.socketBudget(openFileLimit: fileLimit)
        let bounded = ConcurrencyLimits(global: min(limits.global, socketBudget), perDestination: limits.perDestination)
        self.limits = bounded
        self.logger = logger
        if bounded.global < limits.global {
            logger.warning(
                "concurrency lowered from \(limits.global) to \(bounded.global): the open-file limit is \(fileLimit) (raise it with ulimit -n)"
            )
        }
        // Connects and TLS handshakes cost CPU in the kernel and in OpenSSL: one loop per core lets
        // them run side by side. Each loop gets its share of the global cap.
        let count = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 4, bounded.global))
        logger.debug(
            "engine started",
            metadata: [
                "concurrency": "\(bounded.global)", "per_destination": "\(bounded.perDestination)",
                "open_file_limit": "\(fileLimit)", "threads": "\(count)",
            ])
        let slots = DestinationSlots(cap: bounded.perDestination, localAddresses: LocalAddresses.current())
        var loops: [MultiLoop] = []
        for index in 0..<count {
            let share = bounded.global / count + (index < bounded.global % count ? 1 : 0)
            loops.append(
                try MultiLoop(
                    index: index, global: share, slots: slots, userAgent: userAgent,
                    proxyCredentials: proxyCredentials, bindBeforeConnect: bindBeforeConnect))
        }
        slots.register(loops)
        self.slots = slots
        self.loops = loops
        for loop in loops { loop.start() }
    }

    /// Starts one attempt of a check; `completion` gets what it saw, on an engine thread (or at once,
    /// on the caller's, when the engine was interrupted). Keep it short: the engine waits for it.
    func submit(_ check: PlannedCheck, completion: @escaping @Sendable (RawAttempt) -> Void) {
        let index = turn.add(1, ordering: .relaxed).oldValue % loops.count
        loops[index].submit(check, completion: completion)
    }

    /// Finishes an attempt off the engine threads: adopts the socket handed over with it, reads its
    /// local endpoint and closes it (a close costs the kernel about half a connect; here it runs
    /// beside the engine's connects), then classifies what the attempt saw, logging the raw result
    /// at trace level.
    func settle(_ raw: RawAttempt, _ check: PlannedCheck) -> AttemptOutcome {
        var raw = raw
        raw.closeSocket()
        // The connection is closed: its destination's slot is free (any loop waiting for it wakes).
        if let key = raw.heldSlot { slots.release(key, loop: -1) }
        let outcome = Classifier.classify(raw, check: check)
        logger.trace("attempt finished", metadata: Self.traceMetadata(raw, check: check, outcome: outcome))
        return outcome
    }

    /// What the trace line of a finished attempt says (built only when tracing is on).
    private static func traceMetadata(_ raw: RawAttempt, check: PlannedCheck, outcome: AttemptOutcome)
        -> Logger.Metadata
    {
        var metadata: Logger.Metadata = [
            "check": "\(check.id)", "curl_code": "\(raw.curlCode)", "errno": "\(raw.osErrno)",
            "tcp_connected": "\(raw.tcpConnected)", "observed": "\(outcome.observed.rawValue)",
        ]
        if raw.chainOmitted > 0 || raw.chainNamesCut {
            // The report has no field for a chain recorded in part; the log says so.
            metadata["tls_chain_omitted"] = "\(raw.chainOmitted)"
            metadata["tls_chain_names_cut"] = "\(raw.chainNamesCut)"
        }
        return metadata
    }

    /// Ends every attempt in flight or waiting as interrupted; later submissions end at once.
    public func interrupt() {
        for loop in loops { loop.interrupt() }
        let hooks = interruptHooks.withLock { hooks in
            defer { hooks = [] }
            return hooks
        }
        for hook in hooks { hook() }
    }

    /// Calls `action` once the engine is interrupted (at once if it already is).
    func whenInterrupted(_ action: @escaping @Sendable () -> Void) {
        interruptHooks.withLock { $0.append(action) }
        if isInterrupted { interrupt() }
    }

    /// True once `interrupt()` was called.
    public var isInterrupted: Bool { loops.contains { $0.isInterrupted } }

    /// Stops the engine threads once nothing is in flight.
    public func shutdown() { for loop in loops { loop.stop() } }

    deinit { for loop in loops { loop.stop() } }
}
