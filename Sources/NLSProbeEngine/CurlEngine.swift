internal import CCurl
import Foundation
import Logging
import NLSProbeCore
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Why the engine could not start.
public enum EngineError: Error, Sendable, CustomStringConvertible {
    /// libcurl could not be initialised.
    case curlUnavailable(String)
    /// libcurl was built without a feature a check needs.
    case missingFeature(String)

    /// A message a person can act on.
    public var description: String {
        switch self {
        case .curlUnavailable(let detail): "libcurl could not be initialised: \(detail)"
        case .missingFeature(let feature):
            "the installed libcurl lacks \(feature); install libcurl4-openssl-dev (Debian) and rebuild"
        }
    }
}

/// Limits on how many checks run at once.
public struct ConcurrencyLimits: Sendable, Equatable {
    /// Checks in flight at once, across all destinations.
    public var global: Int
    /// Checks in flight at once towards one destination address (or proxied host name).
    public var perDestination: Int

    /// Creates limits; values below 1 become 1.
    public init(global: Int = 256, perDestination: Int = 64) {
        self.global = max(1, global)
        self.perDestination = max(1, perDestination)
    }
}

/// The probe engine: a few threads (one per core, at most four), each owning a libcurl multi
/// handle; attempts are dealt to them in turn and the global cap is split between them, while the
/// per-destination cap is counted once for all of them.
/// Attempts are submitted through a lock-protected inbox and finished through completion handlers
/// (called on an engine thread).
public final class ProbeEngine: Sendable {
    private let loops: [MultiLoop]
    private let turn = Atomic<Int>(0)
    /// The limits in force (the global one already bounded by the open-file limit).
    public let limits: ConcurrencyLimits
    /// Sockets the process may have open for checks: the open-file limit less a reserve. Sockets
    /// handed over with results stay open until settled, so the runner keeps its unsettled attempts
    /// within this.
    let socketBudget: Int

    /// Starts the engine threads.
    /// `logger` receives diagnostics: the limits in force at debug level, every attempt's raw
    /// libcurl result at trace level. Credentials are never logged.
    /// `proxyCredentials` ("user:password", from `--proxy-credentials-file`) wins over the variable a
    /// profile names; it is handed to libcurl only.
    public init(
        limits: ConcurrencyLimits = ConcurrencyLimits(), userAgent: String = "nlsprobe",
        logger: Logger = Logger(label: "nlsprobe.engine"), proxyCredentials: String? = nil,
        bindBeforeConnect: Bool = false
    ) throws(EngineError) {
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
        let slots = DestinationSlots(cap: bounded.perDestination)
        var loops: [MultiLoop] = []
        for index in 0..<count {
            let share = bounded.global / count + (index < bounded.global % count ? 1 : 0)
            loops.append(
                try MultiLoop(
                    index: index, global: share, slots: slots, userAgent: userAgent,
                    proxyCredentials: proxyCredentials, bindBeforeConnect: bindBeforeConnect))
        }
        slots.register(loops)
        self.loops = loops
        for loop in loops { loop.start() }
    }

    private let logger: Logger

    /// Starts one attempt of a check; `completion` gets what it saw, on an engine thread (or at once,
    /// on the caller's, when the engine was interrupted). Keep it short: the engine waits for it.
    func submit(_ check: PlannedCheck, completion: @escaping @Sendable (RawAttempt) -> Void) {
        let index = turn.add(1, ordering: .relaxed).oldValue % loops.count
        loops[index].submit(check, completion: completion)
    }

    /// Finishes an attempt off the engine threads: reads the local endpoint of the socket handed over
    /// with it and closes it (a close costs the kernel about half a connect; here it runs beside the
    /// engine's connects), then classifies what the attempt saw, logging the raw result at trace level.
    func settle(_ raw: RawAttempt, _ check: PlannedCheck) -> AttemptOutcome {
        var raw = raw
        if raw.socket >= 0 {
            var address = [CChar](repeating: 0, count: 64)
            var port: Int32 = 0
            if nls_local_endpoint(raw.socket, &address, address.count, &port) == 0, port > 0 {
                raw.localAddress = String(
                    decoding: address.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                raw.localPort = Int(port)
            }
            close(raw.socket)
            raw.socket = -1
        }
        let outcome = Classifier.classify(raw, check: check)
        logger.trace(
            "attempt finished",
            metadata: [
                "check": "\(check.id)", "curl_code": "\(raw.curlCode)", "errno": "\(raw.osErrno)",
                "tcp_connected": "\(raw.tcpConnected)", "observed": "\(outcome.observed.rawValue)",
            ])
        return outcome
    }

    /// Ends every attempt in flight or waiting as interrupted; later submissions end at once.
    public func interrupt() { for loop in loops { loop.interrupt() } }

    /// True once `interrupt()` was called.
    public var isInterrupted: Bool { loops.contains { $0.isInterrupted } }

    /// Stops the engine threads once nothing is in flight.
    public func shutdown() { for loop in loops { loop.stop() } }

    deinit { for loop in loops { loop.stop() } }
}

/// The open-file limit bounds how many sockets can be open at once.
enum FileLimits {
    /// Sockets the checks may hold under an open-file limit: the limit less a reserve for the rest
    /// of the process (standard streams, each loop's wakeup pipe, the resolver, the report and capture
    /// files). The reserve is a quarter of a small limit, at least 16 and at most 64 descriptors, so
    /// `ulimit -n 64` still leaves 48 checks in flight, not one.
    static func socketBudget(openFileLimit: Int) -> Int {
        let reserve = min(64, max(16, openFileLimit / 4))
        return max(1, openFileLimit - reserve)
    }

    /// Raises the soft RLIMIT_NOFILE to the hard limit and returns the soft limit in force.
    static func raiseAndReport() -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1024 }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = min(limit.rlim_max, 1 << 20)
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { limit = raised }
        }
        return Int(min(limit.rlim_cur, 1 << 20))
    }
}

private let curlGlobal: Result<Void, EngineError> = {
    let rc = curl_global_init(Int(CURL_GLOBAL_DEFAULT))
    guard rc == CURLE_OK else {
        return .failure(.curlUnavailable(String(cString: curl_easy_strerror(rc))))
    }
    guard nls_curl_has_tls() == 1 else {
        return .failure(.missingFeature("TLS support"))
    }
    return .success(())
}()

private func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// A submitted attempt and what the loop keeps about it while it runs.
/// Handed from the submitting task to the loop thread through the inbox; from then on only
/// the loop thread touches its mutable fields.
private final class Job: @unchecked Sendable {
    let check: PlannedCheck
    let completion: @Sendable (RawAttempt) -> Void
    var easy: UnsafeMutableRawPointer?
    var context: UnsafeMutablePointer<nls_probe_ctx>?
    var connectTo: UnsafeMutablePointer<curl_slist>?
    var started: Double = 0
    var startedAt: Double = 0
    var connectDeadline: Double = 0
    var tcpConfirmed = false
    /// The phase the attempt is in, when it began (monotonic seconds) and the proxy it goes through.
    var phase = AttemptPhase.connect
    var phaseStart: Double = 0
    var route = ProxyRoute.none
    /// The budget of each phase, set when the attempt starts.
    var budgets: PhaseBudgets?
    var credentialsSent = false
    /// The socket of a plain TCP check (no libcurl), -1 otherwise.
    var rawFD: Int32 = -1
    /// True while the job counts towards its destination's cap.
    var counted = false

    init(check: PlannedCheck, completion: @escaping @Sendable (RawAttempt) -> Void) {
        self.check = check
        self.completion = completion
    }

    var destinationKey: String { check.address ?? check.host }
}

/// Checks in flight per destination, counted across every loop. A loop that finds a destination
/// full leaves the job waiting and is woken when another loop frees a slot of it.
private final class DestinationSlots: Sendable {
    private struct State {
        var counts: [String: Int] = [:]
        /// Loops holding jobs for a full destination.
        var waiting: Set<Int> = []
        /// The loops, held weakly (they hold this).
        var loops: [WeakLoop] = []
    }

    private struct WeakLoop {
        weak var loop: MultiLoop?
    }

    let cap: Int
    private let state = Mutex(State())

    init(cap: Int) { self.cap = cap }

    /// Registers the loops to wake, by index; done once, before any starts.
    func register(_ loops: [MultiLoop]) {
        state.withLock { $0.loops = loops.map { WeakLoop(loop: $0) } }
    }

    /// Takes a slot of `key` for loop `loop`; false (and the loop is noted as waiting) when full.
    func acquire(_ key: String, loop: Int) -> Bool {
        state.withLock { state in
            let count = state.counts[key, default: 0]
            guard count < cap else {
                state.waiting.insert(loop)
                return false
            }
            state.counts[key] = count + 1
            return true
        }
    }

    /// Frees a slot of `key`, waking the other loops that wait for a slot.
    func release(_ key: String, loop: Int) {
        let wake = state.withLock { state -> [MultiLoop] in
            let count = state.counts[key, default: 1] - 1
            state.counts[key] = count > 0 ? count : nil
            defer { state.waiting = [] }
            return state.waiting.filter { $0 != loop && $0 < state.loops.count }.compactMap { state.loops[$0].loop }
        }
        for other in wake { other.wake() }
    }
}

/// The multi loop. Its mutable state belongs to the loop thread alone; other threads touch only
/// `inbox` (behind a mutex) and call `curl_multi_wakeup`, which libcurl documents as thread-safe.
private final class MultiLoop: @unchecked Sendable {
    private struct Inbox {
        var jobs: [Job] = []
        var interrupted = false
        var stopping = false
    }

    private let multi: UnsafeMutableRawPointer
    private let index: Int
    /// This loop's share of the global cap.
    private let global: Int
    private let slots: DestinationSlots
    private let userAgent: String
    private let inbox = Mutex(Inbox())
    private let finished = Mutex(false)
    private var thread: Thread?
    private let caPath: String?
    private let proxyCredentials: String?
    private let bindBeforeConnect: Bool

    // Loop-thread state.
    private var pending: [Job] = []
    private var active: [UnsafeMutableRawPointer: Job] = [:]
    /// Plain TCP checks in flight, by socket: direct `tcp` checks skip libcurl (a connect is all
    /// they need, and a libcurl handle costs far more than the socket).
    private var rawActive: [Int32: Job] = [:]
    private var nextDeadline = Double.infinity
    private var lastPhaseScan = 0.0

    init(
        index: Int, global: Int, slots: DestinationSlots, userAgent: String, proxyCredentials: String?,
        bindBeforeConnect: Bool
    ) throws(EngineError) {
        try curlGlobal.get()
        self.proxyCredentials = proxyCredentials
        self.bindBeforeConnect = bindBeforeConnect
        guard let multi = curl_multi_init() else { throw .curlUnavailable("curl_multi_init failed") }
        self.multi = multi
        self.index = index
        self.global = global
        self.slots = slots
        self.userAgent = userAgent
        _ = nls_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, 0)
        var isDirectory: ObjCBool = false
        caPath =
            FileManager.default.fileExists(atPath: "/etc/ssl/certs", isDirectory: &isDirectory) && isDirectory.boolValue
            ? "/etc/ssl/certs" : nil
    }

    func start() {
        let thread = Thread { [self] in self.run() }
        thread.name = "nlsprobe-curl-\(index)"
        thread.stackSize = 1 << 20
        self.thread = thread
        thread.start()
    }

    var isInterrupted: Bool { inbox.withLock { $0.interrupted } }

    func submit(_ check: PlannedCheck, completion: @escaping @Sendable (RawAttempt) -> Void) {
        let job = Job(check: check, completion: completion)
        // One wakeup per batch: the loop takes every waiting job at once, so a job added behind
        // others is picked up by the wakeup they already sent.
        let (refused, wake) = inbox.withLock { state -> (Bool, Bool) in
            if state.interrupted || state.stopping { return (true, false) }
            state.jobs.append(job)
            return (false, state.jobs.count == 1)
        }
        if refused {
            var raw = RawAttempt()
            raw.interrupted = true
            completion(raw)
        } else if wake {
            curl_multi_wakeup(multi)
        }
    }

    /// Wakes the loop from its poll (a destination slot it waits for came free).
    func wake() { curl_multi_wakeup(multi) }

    func interrupt() {
        inbox.withLock { $0.interrupted = true }
        curl_multi_wakeup(multi)
    }

    func stop() {
        let alreadyStopping = inbox.withLock { state -> Bool in
            defer { state.stopping = true }
            return state.stopping
        }
        if !alreadyStopping { curl_multi_wakeup(multi) }
    }

    private func run() {
        while true {
            let (incoming, interrupted, stopping) = inbox.withLock { state in
                defer { state.jobs.removeAll(keepingCapacity: true) }
                return (state.jobs, state.interrupted, state.stopping)
            }
            pending.append(contentsOf: incoming)
            if interrupted { abandonAll() }
            if stopping && pending.isEmpty && active.isEmpty && rawActive.isEmpty { break }
            startEligible()
            var running: Int32 = 0
            curl_multi_perform(multi, &running)
            collectFinished()
            enforceDeadlines(now: monotonicSeconds())
            if !pending.isEmpty && inFlight < global {
                startEligible()
                curl_multi_perform(multi, &running)
                collectFinished()
            }
            var waits = rawActive.keys.map { curl_waitfd(fd: $0, events: NLS_WAIT_POLLOUT, revents: 0) }
            curl_multi_poll(multi, &waits, UInt32(waits.count), pollTimeout(), nil)
            collectRaw(waits)
        }
        curl_multi_cleanup(multi)
    }

    private func pollTimeout() -> Int32 {
        // libcurl checks in flight: look at their phases again within the scan interval.
        let ceiling = active.isEmpty ? 1000 : Self.phaseScanInterval * 1000
        guard nextDeadline.isFinite else { return Int32(ceiling) }
        let wait = (nextDeadline - monotonicSeconds()) * 1000
        return Int32(max(0, min(ceiling, wait.rounded(.up))))
    }

    private var inFlight: Int { active.count + rawActive.count }

    private func startEligible() {
        guard !pending.isEmpty, inFlight < global else { return }
        var kept: [Job] = []
        kept.reserveCapacity(pending.count)
        var position = 0
        while position < pending.count {
            let job = pending[position]
            position += 1
            if inFlight >= global {
                kept.append(job)
                kept.append(contentsOf: pending[position...])
                break
            }
            let key = job.destinationKey
            guard slots.acquire(key, loop: index) else {
                kept.append(job)
                continue
            }
            if let raw = begin(job) {
                slots.release(key, loop: index)
                job.completion(raw)
            } else {
                job.counted = true
            }
        }
        pending = kept
    }

    /// Starts a plain TCP connect; returns a result at once when it finished or could not start.
    private func beginRaw(_ job: Job, address: String) -> RawAttempt? {
        let context = UnsafeMutablePointer<nls_probe_ctx>.allocate(capacity: 1)
        context.initialize(to: nls_probe_ctx())
        context.pointee.fd = -1
        job.context = context
        if let source = job.check.sourceAddress { _ = nls_probe_set_bind(context, source) }
        context.pointee.bind_any = bindBeforeConnect ? 1 : 0
        job.started = monotonicSeconds()
        job.startedAt = Date().timeIntervalSince1970
        job.connectDeadline = job.started + job.check.settings.connectTimeout
        var connected: Int32 = 0
        var connectErrno: Int32 = 0
        let fd = nls_tcp_start(context, address, Int32(job.check.port), &connected, &connectErrno)
        if fd < 0 {
            var raw = baseAttempt(job)
            raw.curlCode = connectErrno != 0 ? 7 : 0
            raw.osErrno = connectErrno
            releaseContext(job)
            return raw
        }
        job.rawFD = fd
        if connected == 1 {
            var raw = baseAttempt(job)
            raw.tcpConnected = true
            raw.connectTime = raw.elapsed
            raw.socket = fd
            job.rawFD = -1
            releaseContext(job)
            return raw
        }
        rawActive[fd] = job
        nextDeadline = min(nextDeadline, job.connectDeadline)
        return nil
    }

    /// What every attempt knows: its times, and what the socket callback saw.
    private func baseAttempt(_ job: Job) -> RawAttempt {
        var raw = RawAttempt()
        raw.elapsed = monotonicSeconds() - job.started
        raw.startedAt = job.startedAt
        if let context = job.context {
            raw.boundPort = Int(context.pointee.bound_port)
            raw.socketErrno = context.pointee.socket_errno
            raw.bindFailed = context.pointee.bind_failed != 0
        }
        return raw
    }

    /// Finishes the plain TCP checks whose sockets became writable (connected or failed).
    private func collectRaw(_ waits: [curl_waitfd]) {
        for wait in waits where wait.revents != 0 {
            guard let job = rawActive[wait.fd] else { continue }
            let error = nls_tcp_result(wait.fd)
            var raw = baseAttempt(job)
            if RawAttempt.handshakeCompleted(socketError: error) {
                raw.tcpConnected = true
                raw.resetAfterConnect = error != 0
                raw.connectTime = raw.elapsed
                // Handed over with the result; the receiver closes it.
                raw.socket = wait.fd
                rawActive[wait.fd] = nil
                job.rawFD = -1
            } else {
                raw.curlCode = 7
                raw.osErrno = error
            }
            finish(job, raw)
        }
    }

    private func releaseContext(_ job: Job) {
        job.context?.deinitialize(count: 1)
        job.context?.deallocate()
        job.context = nil
    }

    /// Sets up and adds the easy handle; returns a result at once when it cannot.
    private func begin(_ job: Job) -> RawAttempt? {
        if job.check.proto == .tcp, !job.check.settings.proxy.isProxied, let address = job.check.address {
            return beginRaw(job, address: address)
        }
        guard let easy = curl_easy_init() else {
            var raw = RawAttempt()
            raw.curlCode = 27
            raw.curlMessage = "curl_easy_init failed"
            return raw
        }
        let context = UnsafeMutablePointer<nls_probe_ctx>.allocate(capacity: 1)
        context.initialize(to: nls_probe_ctx())
        job.easy = easy
        job.context = context
        nls_probe_install(easy, context)
        let check = job.check
        let settings = check.settings
        if let source = check.sourceAddress { _ = nls_probe_set_bind(context, source) }
        context.pointee.bind_any = bindBeforeConnect ? 1 : 0

        let hostPart = IPAddress(check.host)?.urlForm ?? check.host
        let scheme = (check.proto == .tcp || check.proto == .http) ? "http" : "https"
        let path = (check.proto == .tcp || check.proto == .tls) ? "/" : settings.httpPath
        setString(easy, CURLOPT_URL, "\(scheme)://\(hostPart):\(check.port)\(path)")
        if let address = check.address, IPAddress(check.host) == nil {
            let target = IPAddress(address)?.urlForm ?? address
            job.connectTo = curl_slist_append(nil, "\(check.host):\(check.port):\(target):\(check.port)")
            nls_easy_setopt_slist(easy, CURLOPT_CONNECT_TO, job.connectTo)
        }
        let proxied = settings.proxy.isProxied
        switch settings.proxy {
        case .direct:
            setString(easy, CURLOPT_PROXY, "")
        case .environment:
            break
        case .url(let url):
            setString(easy, CURLOPT_PROXY, url)
        }
        if proxied {
            if check.proto == .tcp || check.proto == .tls { setLong(easy, CURLOPT_HTTPPROXYTUNNEL, 1) }
            // getenv: `ProcessInfo.environment` copies the whole environment on every call.
            let fromEnvironment = settings.proxyCredentialsEnv.flatMap { getenv($0).map { String(cString: $0) } }
            if let credentials = proxyCredentials ?? fromEnvironment, !credentials.isEmpty {
                setString(easy, CURLOPT_PROXYUSERPWD, credentials)
                setLong(easy, CURLOPT_PROXYAUTH, Int(bitPattern: UInt(NLS_CURLAUTH_ANY)))
                job.credentialsSent = true
            }
        }
        if check.proto == .tcp || check.proto == .tls { setLong(easy, CURLOPT_CONNECT_ONLY, 1) }
        setLong(easy, CURLOPT_NOSIGNAL, 1)
        // Checks read headers at most (the body is cut at its first byte): a small receive buffer
        // keeps 2,000 checks in flight from costing 16 KiB each.
        setLong(easy, CURLOPT_BUFFERSIZE, 1024)
        setLong(easy, CURLOPT_FRESH_CONNECT, 1)
        setLong(easy, CURLOPT_FORBID_REUSE, 1)
        job.route = ProxyRoute.of(settings.proxy, scheme: scheme, host: check.host) { name in
            getenv(name).map { String(cString: $0) }
        }
        // Each phase has its own budget, enforced by the loop from the phase's own start
        // (`enforceDeadlines`). libcurl's timeouts are only a backstop, a second past the sum.
        let budgets = PhaseBudgets(check: check, route: job.route)
        job.budgets = budgets
        setLong(easy, CURLOPT_CONNECTTIMEOUT_MS, Int(((budgets.untilTLSDone + 1) * 1000).rounded()))
        setLong(easy, CURLOPT_TIMEOUT_MS, Int(((budgets.total + 1) * 1000).rounded()))
        if check.proto.usesTLS {
            setLong(easy, CURLOPT_SSL_VERIFYPEER, settings.tls.verify ? 1 : 0)
            setLong(easy, CURLOPT_SSL_VERIFYHOST, settings.tls.verify ? 2 : 0)
            if let caFile = settings.tls.caFile {
                setString(easy, CURLOPT_CAINFO, caFile)
                if let caPath { setString(easy, CURLOPT_CAPATH, caPath) }
            }
            nls_probe_record_tls(easy, context)
        }
        // An https:// proxy's certificate is checked against the same anchors (system ones, and
        // --ca-file or tls.ca_file when given).
        if job.route == .https, let caFile = settings.tls.caFile {
            setString(easy, CURLOPT_PROXY_CAINFO, caFile)
            if let caPath { setString(easy, CURLOPT_PROXY_CAPATH, caPath) }
        }
        setString(easy, CURLOPT_USERAGENT, userAgent)

        job.started = monotonicSeconds()
        job.startedAt = Date().timeIntervalSince1970
        job.connectDeadline = job.started + settings.connectTimeout
        job.phase = .connect
        job.phaseStart = job.started
        nextDeadline = min(nextDeadline, job.connectDeadline)
        active[easy] = job
        curl_multi_add_handle(multi, easy)
        return nil
    }

    private func collectFinished() {
        var remaining: Int32 = 0
        while let message = curl_multi_info_read(multi, &remaining) {
            guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle,
                let job = active[easy]
            else { continue }
            let code = message.pointee.data.result
            var raw = harvest(job, easy: easy)
            raw.curlCode = Int(code.rawValue)
            if raw.curlMessage.isEmpty { raw.curlMessage = String(cString: curl_easy_strerror(code)) }
            finish(job, raw)
        }
    }

    /// Ends the attempts whose current phase ran out of its own budget: the TCP handshake (a SYN
    /// with no answer), and for libcurl checks the tunnel, the TLS handshake and the request, each
    /// measured from its own start. Runs at the earliest known deadline, and every
    /// `phaseScanInterval` while libcurl checks are in flight (a phase's start is seen only here).
    private func enforceDeadlines(now: Double) {
        guard now >= nextDeadline || (!active.isEmpty && now >= lastPhaseScan + Self.phaseScanInterval) else {
            return
        }
        lastPhaseScan = now
        var next = Double.infinity
        var expired: [Job] = []
        for job in active.values {
            guard let easy = job.easy else { continue }
            advancePhase(job, easy: easy, now: now)
            let budgets = job.budgets ?? PhaseBudgets(check: job.check, route: job.route)
            let deadline = job.phaseStart + budgets.budget(of: job.phase)
            if now >= deadline {
                expired.append(job)
            } else {
                next = min(next, deadline)
            }
        }
        var expiredRaw: [Job] = []
        for job in rawActive.values {
            if now >= job.connectDeadline {
                expiredRaw.append(job)
            } else {
                next = min(next, job.connectDeadline)
            }
        }
        nextDeadline = next
        for job in expired {
            guard let easy = job.easy else { continue }
            var raw = harvest(job, easy: easy)
            if job.phase == .connect {
                raw.synTimedOut = true
            } else {
                raw.phaseTimedOut = job.phase
                raw.phaseBudget = (job.budgets ?? PhaseBudgets(check: job.check, route: job.route)).budget(
                    of: job.phase)
            }
            finish(job, raw)
        }
        for job in expiredRaw {
            var raw = baseAttempt(job)
            raw.synTimedOut = true
            finish(job, raw)
        }
    }

    /// The kernel's TCP states of a socket whose handshake completed: established, or closing after
    /// it was (FIN_WAIT1/2, TIME_WAIT, CLOSE_WAIT, LAST_ACK, CLOSING).
    private static let connectedStates: Set<Int32> = [1, 4, 5, 6, 8, 9, 11]

    /// How often the loop looks for attempts that moved to their next phase (seconds).
    private static let phaseScanInterval = 0.05

    /// Moves a libcurl attempt on through the phases it has completed since the last look; a phase
    /// seen done starts the next one now (or at libcurl's own time stamp, where it has one).
    private func advancePhase(_ job: Job, easy: UnsafeMutableRawPointer, now: Double) {
        let budgets = job.budgets ?? PhaseBudgets(check: job.check, route: job.route)
        for _ in 0..<4 {
            switch job.phase {
            case .connect:
                if !job.tcpConfirmed {
                    // Established, or closing after having been (a refused connect is CLOSE: not this).
                    guard Self.connectedStates.contains(nls_tcp_state(job.context?.pointee.fd ?? -1)) else { return }
                    job.tcpConfirmed = true
                }
                guard let next = budgets.phase(after: .connect) else { return }
                job.phase = next
                job.phaseStart = now
            case .tunnel:
                // An HTTP proxy's answer to CONNECT; a SOCKS tunnel shows no sign of its end, so
                // its budget runs on to the end of the TLS handshake (see `PhaseBudgets`).
                guard job.route != .socks, job.context?.pointee.ok_answer_ended == 1 else { return }
                guard let next = budgets.phase(after: .tunnel) else { return }
                job.phase = next
                job.phaseStart = now
            case .tls:
                let done = getSeconds(easy, CURLINFO_APPCONNECT_TIME_T)
                guard done > 0 else { return }
                guard let next = budgets.phase(after: .tls) else { return }
                job.phase = next
                job.phaseStart = min(now, job.started + done)
            case .request:
                return
            }
        }
    }

    private func abandonAll() {
        for job in pending {
            var raw = RawAttempt()
            raw.interrupted = true
            job.completion(raw)
        }
        pending.removeAll()
        for job in Array(active.values) + Array(rawActive.values) {
            var raw = RawAttempt()
            raw.interrupted = true
            raw.elapsed = monotonicSeconds() - job.started
            finish(job, raw)
        }
    }

    private func finish(_ job: Job, _ raw: RawAttempt) {
        if let easy = job.easy {
            curl_multi_remove_handle(multi, easy)
            curl_easy_cleanup(easy)
            active[easy] = nil
        }
        if job.rawFD >= 0 {
            rawActive[job.rawFD] = nil
            close(job.rawFD)
            job.rawFD = -1
        }
        if job.counted {
            job.counted = false
            slots.release(job.destinationKey, loop: index)
        }
        if let list = job.connectTo { curl_slist_free_all(list) }
        releaseContext(job)
        job.easy = nil
        job.completion(raw)
    }

    /// Reads everything libcurl knows about a finished (or stopped) attempt.
    private func harvest(_ job: Job, easy: UnsafeMutableRawPointer) -> RawAttempt {
        var raw = baseAttempt(job)
        raw.route = job.route
        if let context = job.context {
            raw.bodySeen = context.pointee.body_seen != 0
            raw.tunnelOpen = raw.route.tunnels(job.check.proto) && context.pointee.ok_answer_ended != 0
            raw.curlMessage = cString(context.pointee.error)
        }
        raw.osErrno = Int32(truncatingIfNeeded: getLong(easy, CURLINFO_OS_ERRNO))
        raw.connectTime = getSeconds(easy, CURLINFO_CONNECT_TIME_T)
        let tcpState = nls_tcp_state(job.context?.pointee.fd ?? -1)
        // Established, or closing after having been established (FIN_WAIT, TIME_WAIT, CLOSE_WAIT, LAST_ACK, CLOSING).
        raw.tcpConnected = raw.connectTime > 0 || job.tcpConfirmed || Self.connectedStates.contains(tcpState)
        raw.appConnectTime = getSeconds(easy, CURLINFO_APPCONNECT_TIME_T)
        raw.startTransferTime = getSeconds(easy, CURLINFO_STARTTRANSFER_TIME_T)
        raw.responseCode = getLong(easy, CURLINFO_RESPONSE_CODE)
        raw.proxyConnectCode = getLong(easy, CURLINFO_HTTP_CONNECTCODE)
        if raw.tcpConnected {
            var ip: UnsafePointer<CChar>?
            if nls_easy_getinfo_string(easy, CURLINFO_LOCAL_IP, &ip) == CURLE_OK, let ip, ip.pointee != 0 {
                raw.localAddress = String(cString: ip)
            }
            let port = getLong(easy, CURLINFO_LOCAL_PORT)
            raw.localPort = port > 0 ? port : nil
        }
        if job.check.proto.usesTLS, let context = job.context {
            raw.tls = tlsEvidence(context)
            raw.verifyResult = Int(context.pointee.tls_verify_error)
        }
        if raw.responseCode > 0 {
            let date = header(easy, "Date")
            raw.http = HTTPEvidence(
                status: raw.responseCode, server: header(easy, "Server"), via: header(easy, "Via"), date: date,
                clockSkewS: date.flatMap(HTTPDate.parse).map { ($0.timeIntervalSinceNow).rounded() })
        }
        if job.check.settings.proxy.isProxied {
            raw.proxyError = getLong(easy, CURLINFO_PROXY_ERROR)
            raw.proxy = proxyEvidence(job, easy: easy, raw: raw)
        }
        return raw
    }

    private func tlsEvidence(_ context: UnsafeMutablePointer<nls_probe_ctx>) -> TLSEvidence? {
        let version = cString(context.pointee.tls_version)
        let cipher = cString(context.pointee.tls_cipher)
        let alpn = cString(context.pointee.tls_alpn)
        let chain = cString(context.pointee.tls_chain).split(separator: "\n").compactMap { line -> CertificateInfo? in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 5 else { return nil }
            return CertificateInfo(
                subject: fields[0], issuer: fields[1], notBefore: fields[2], notAfter: fields[3], sha256: fields[4])
        }
        guard !version.isEmpty || !chain.isEmpty else { return nil }
        return TLSEvidence(
            version: version.isEmpty ? nil : version, cipher: cipher.isEmpty ? nil : cipher,
            alpn: alpn.isEmpty ? nil : alpn, chain: chain)
    }

    private func cString<T>(_ tuple: T) -> String {
        withUnsafeBytes(of: tuple) { bytes in String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self) }
    }

    private func proxyEvidence(_ job: Job, easy: UnsafeMutableRawPointer, raw: RawAttempt) -> ProxyEvidence {
        var evidence = ProxyEvidence(url: job.check.settings.proxy.description, credentialsSent: job.credentialsSent)
        var ip: UnsafePointer<CChar>?
        if nls_easy_getinfo_string(easy, CURLINFO_PRIMARY_IP, &ip) == CURLE_OK, let ip, ip.pointee != 0 {
            let address = String(cString: ip)
            evidence.address = "\(IPAddress(address)?.urlForm ?? address):\(getLong(easy, CURLINFO_PRIMARY_PORT))"
        }
        // A tunnel's answer comes from the CONNECT; plain HTTP through a proxy answers the request itself.
        let tunnelled = raw.proxyConnectCode > 0
        let origin = tunnelled ? NLS_CURLH_CONNECT : UInt32(CURLH_HEADER)
        let status = tunnelled ? raw.proxyConnectCode : (job.check.proto == .http ? raw.responseCode : 0)
        if status > 0 { evidence.status = "\(status) \(HTTPStatus.phrase(status, connect: tunnelled))" }
        if tunnelled || job.check.proto == .http {
            evidence.server = header(easy, "Server", origin: origin)
            evidence.via = header(easy, "Via", origin: origin)
            evidence.error = header(easy, "X-Squid-Error", origin: origin)
        }
        let offered = getLong(easy, CURLINFO_PROXYAUTH_AVAIL)
        evidence.authOffered = [(1, "Basic"), (2, "Digest"), (4, "Negotiate"), (8, "NTLM"), (64, "Bearer")]
            .filter { offered & $0.0 != 0 }.map(\.1)
        return evidence
    }

    /// The most of a header value kept as evidence, in bytes.
    static let headerLimit = 512

    /// The last occurrence of a header (after an authentication round trip, the final answer's).
    private func header(_ easy: UnsafeMutableRawPointer, _ name: String, origin: UInt32 = UInt32(CURLH_HEADER))
        -> String?
    {
        var found: UnsafeMutablePointer<curl_header>?
        guard curl_easy_header(easy, name, 0, origin, -1, &found) == CURLHE_OK, let first = found else { return nil }
        let amount = first.pointee.amount
        if amount > 1 {
            var last: UnsafeMutablePointer<curl_header>?
            if curl_easy_header(easy, name, amount - 1, origin, -1, &last) == CURLHE_OK, let last { found = last }
        }
        guard let value = found?.pointee.value else { return nil }
        // A peer's header is evidence, not a payload: keep a bounded prefix (libcurl itself accepts
        // header lines up to 100 KB).
        let text = String(cString: value)
        return text.utf8.count <= Self.headerLimit
            ? text : String(decoding: text.utf8.prefix(Self.headerLimit), as: UTF8.self) + "…"
    }

    private func setLong(_ easy: UnsafeMutableRawPointer, _ option: CURLoption, _ value: Int) {
        nls_easy_setopt_long(easy, option, value)
    }

    private func setString(_ easy: UnsafeMutableRawPointer, _ option: CURLoption, _ value: String) {
        nls_easy_setopt_string(easy, option, value)
    }

    private func getLong(_ easy: UnsafeMutableRawPointer, _ info: CURLINFO) -> Int {
        var value = 0
        return nls_easy_getinfo_long(easy, info, &value) == CURLE_OK ? value : 0
    }

    private func getSeconds(_ easy: UnsafeMutableRawPointer, _ info: CURLINFO) -> Double {
        var value: curl_off_t = 0
        return nls_easy_getinfo_offset(easy, info, &value) == CURLE_OK ? Double(value) / 1e6 : 0
    }
}
