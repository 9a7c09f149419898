internal import CCurl
internal import CSocket
import Foundation
import NLSProbeCore
import Synchronization

/// One engine thread, and its libcurl multi handle once a check needs libcurl.
///
/// Other threads touch only `inbox` (behind a mutex) and signal the loop's wake-up descriptor (an
/// eventfd the loop polls beside its sockets). Everything else (the multi handle, made at the
/// first libcurl check, the jobs and the tables of attempts in flight) belongs to the loop thread: `run()` claims `owner` as it starts,
/// and every entry point that touches that state checks it runs there. The class is
/// `@unchecked Sendable` on those terms.
final class MultiLoop: @unchecked Sendable {
    private struct Inbox {
        var jobs: [Job] = []
        var interrupted = false
        var stopping = false
    }

    /// How often the loop looks for attempts that moved to their next phase (seconds).
    static let phaseScanInterval = 0.05
    /// Attempts in flight on a loop, counted or presumed dropped, are at most this many times its
    /// share of the global cap: SYNs waiting in a silent drop cost no destination anything, but
    /// each holds a socket and a job here.
    static let inFlightFactor = 8

    /// Signalled by other threads to wake the loop from its poll.
    private let wakeDescriptor: Int32
    let index: Int
    /// This loop's share of the global cap.
    private let global: Int
    let slots: DestinationSlots
    private let inbox = Mutex(Inbox())
    private let easyRequest: EasyRequest
    private let rawConnect: RawConnect
    /// The loop thread, once `run()` claims it.
    let owner: ThreadOwner

    // Loop-thread state (checked with `owner`).
    /// libcurl's multi handle, made at the loop's first libcurl check: plain TCP checks never load
    /// libcurl.
    private var multi: UnsafeMutableRawPointer?
    private var pending: [Job] = []
    private var active: [UnsafeMutableRawPointer: Job] = [:]
    /// Plain TCP checks in flight, by socket: direct `tcp` checks skip libcurl (a connect is all
    /// they need, and a libcurl handle costs far more than the socket).
    private var rawActive: [Int32: Job] = [:]
    private var nextDeadline = Double.infinity
    /// Attempts counting towards this loop's share of the global cap (not presumed dropped).
    var working = 0
    /// When the last poll returned: a plain TCP check still in flight after it got no answer by then.
    private var lastPoll = 0.0
    private var lastPhaseScan = 0.0

    /// A loop, not started; `global` is its share of the global cap.
    init(
        index: Int, global: Int, slots: DestinationSlots, userAgent: String, proxyCredentials: String?,
        bindBeforeConnect: Bool
    ) throws(EngineError) {
        let wake = nls_wake_open()
        guard wake >= 0 else { throw .wakeupUnavailable(String(cString: strerror(errno))) }
        wakeDescriptor = wake
        self.index = index
        self.global = global
        self.slots = slots
        owner = ThreadOwner("engine loop \(index)")
        easyRequest = EasyRequest(
            userAgent: userAgent, proxyCredentials: proxyCredentials, bindBeforeConnect: bindBeforeConnect)
        rawConnect = RawConnect(bindBeforeConnect: bindBeforeConnect)
    }

    /// The multi handle and the wake-up descriptor go once nothing can reach the loop: its thread
    /// has ended (it holds the loop while it runs) and no other thread can wake it any more.
    deinit {
        if let multi { nls_curl_multi_cleanup(multi) }
        close(wakeDescriptor)
    }

    /// Starts the loop thread.
    func start() {
        let thread = Thread { [self] in self.run() }
        thread.name = "nlsprobe-curl-\(index)"
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// True once `interrupt()` was called.
    var isInterrupted: Bool { inbox.withLock { $0.interrupted } }

    /// Queues an attempt (any thread); `completion` runs on the loop thread, or at once on the
    /// caller's when the loop was interrupted or is stopping.
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
            nls_wake_signal(wakeDescriptor)
        }
    }

    /// Wakes the loop from its poll (a destination slot it waits for came free).
    func wake() { nls_wake_signal(wakeDescriptor) }

    /// Ends every attempt in flight or waiting as interrupted; later submissions end at once.
    func interrupt() {
        inbox.withLock { $0.interrupted = true }
        nls_wake_signal(wakeDescriptor)
    }

    /// Lets the loop thread end once nothing is in flight.
    func stop() {
        let alreadyStopping = inbox.withLock { state -> Bool in
            defer { state.stopping = true }
            return state.stopping
        }
        if !alreadyStopping { nls_wake_signal(wakeDescriptor) }
    }

    private func run() {
        owner.claim()
        while true {
            let (incoming, interrupted, stopping) = inbox.withLock { state in
                defer { state.jobs.removeAll(keepingCapacity: true) }
                return (state.jobs, state.interrupted, state.stopping)
            }
            pending.append(contentsOf: incoming)
            if interrupted { abandonAll() }
            if stopping && pending.isEmpty && active.isEmpty && rawActive.isEmpty { break }
            startEligible()
            performTransfers()
            enforceDeadlines(now: MonotonicClock.now())
            if !pending.isEmpty && canStart {
                startEligible()
                performTransfers()
            }
            // The wake-up descriptor first, then the plain TCP checks' sockets; libcurl adds its own.
            var waits: [nls_waitfd] = []
            waits.reserveCapacity(rawActive.count + 1)
            waits.append(nls_waitfd(fd: wakeDescriptor, events: nls_poll_in, revents: 0))
            for socket in rawActive.keys { waits.append(nls_waitfd(fd: socket, events: nls_poll_out, revents: 0)) }
            if let multi {
                nls_curl_multi_poll(multi, &waits, UInt32(waits.count), pollTimeout(), nil)
            } else {
                nls_wait(&waits, UInt32(waits.count), pollTimeout())
            }
            lastPoll = MonotonicClock.now()
            if waits[0].revents != 0 { nls_wake_drain(wakeDescriptor) }
            collectRaw(waits)
        }
    }

    /// Lets libcurl move its transfers on and finishes those that ended (nothing to do before the
    /// first libcurl check).
    private func performTransfers() {
        guard let multi else { return }
        var running: Int32 = 0
        nls_curl_multi_perform(multi, &running)
        collectFinished(multi)
    }

    /// The multi handle, made (and libcurl loaded) at the first libcurl check; the reason when
    /// libcurl cannot be loaded or initialised.
    private func curlMulti() -> Result<UnsafeMutableRawPointer, EngineError> {
        owner.check()
        if let multi { return .success(multi) }
        if case .failure(let error) = CurlLibrary.initialized { return .failure(error) }
        guard let made = nls_curl_multi_init() else { return .failure(.curlUnavailable("curl_multi_init failed")) }
        _ = nls_multi_setopt_long(made, CURLMOPT_MAXCONNECTS, 0)
        multi = made
        return .success(made)
    }

    private func pollTimeout() -> Int32 {
        owner.check()
        // libcurl checks in flight: look at their phases again within the scan interval.
        let ceiling = active.isEmpty ? 1000 : Self.phaseScanInterval * 1000
        guard nextDeadline.isFinite else { return Int32(ceiling) }
        let wait = (nextDeadline - MonotonicClock.now()) * 1000
        return Int32(max(0, min(ceiling, wait.rounded(.up))))
    }

    private var inFlight: Int { active.count + rawActive.count }

    /// True while the global share has room: fewer attempts at work than the share, and fewer in
    /// flight in all than `inFlightFactor` times it.
    private var canStart: Bool { working < global && inFlight < global * Self.inFlightFactor }

    /// Starts the waiting jobs the global share and their destinations' slots allow, in order.
    private func startEligible() {
        owner.check()
        guard !pending.isEmpty, canStart else { return }
        var kept: [Job] = []
        kept.reserveCapacity(pending.count)
        // Destinations found full in this pass (a few at most): their later jobs wait without
        // asking again, so a long queue towards one full destination costs no lock per job.
        var full: [String] = []
        var position = 0
        while position < pending.count {
            let job = pending[position]
            position += 1
            if !canStart {
                kept.append(job)
                kept.append(contentsOf: pending[position...])
                break
            }
            let key = job.destinationKey
            if full.contains(key) {
                kept.append(job)
                continue
            }
            guard let delay = slots.acquire(key, loop: index) else {
                full.append(key)
                kept.append(job)
                continue
            }
            if var raw = begin(job) {
                handOver(&raw, slotOf: key)
                job.completion(raw)
            } else {
                job.counted = true
                job.working = true
                working += 1
                if job.connectsDirectly {
                    job.presumeAt = job.started + delay
                    nextDeadline = min(nextDeadline, job.presumeAt)
                }
            }
        }
        pending = kept
    }

    /// Starts a job: a plain TCP connect for a direct `tcp` check, a libcurl transfer otherwise.
    /// Returns a result at once when it finished or could not start.
    private func begin(_ job: Job) -> RawAttempt? {
        owner.check()
        if job.check.proto == .tcp, !job.check.settings.proxy.isProxied, let address = job.check.address {
            if let raw = rawConnect.start(job, address: address) { return raw }
            rawActive[job.pollDescriptor] = job
            nextDeadline = min(nextDeadline, job.connectDeadline)
            return nil
        }
        let multi: UnsafeMutableRawPointer
        switch curlMulti() {
        case .success(let made): multi = made
        case .failure(let error):
            var raw = RawAttempt()
            raw.curlCode = .failedInit
            raw.curlMessage = error.description
            return raw
        }
        if let raw = easyRequest.prepare(job) {
            job.releaseContext()
            return raw
        }
        guard let easy = job.easy else { return nil }
        nextDeadline = min(nextDeadline, job.connectDeadline)
        active[easy.pointer] = job
        nls_curl_multi_add_handle(multi, easy.pointer)
        return nil
    }

    private func collectFinished(_ multi: UnsafeMutableRawPointer) {
        owner.check()
        var remaining: Int32 = 0
        while let message = nls_curl_multi_info_read(multi, &remaining) {
            guard message.pointee.msg == CURLMSG_DONE, let handle = message.pointee.easy_handle,
                let job = active[handle], let easy = job.easy
            else { continue }
            let code = message.pointee.data.result
            var raw = AttemptHarvest.read(job, easy: easy)
            raw.curlCode = CurlResult(code)
            if raw.curlMessage.isEmpty { raw.curlMessage = String(cString: nls_curl_easy_strerror(code)) }
            finish(job, raw)
        }
    }

    /// Finishes the plain TCP checks whose sockets became writable (connected or failed).
    private func collectRaw(_ waits: [nls_waitfd]) {
        owner.check()
        var now = 0.0
        for wait in waits where wait.revents != 0 {
            guard let job = rawActive.removeValue(forKey: wait.fd) else { continue }
            if now == 0 { now = MonotonicClock.now() }
            // Connected, refused or unreachable: the destination (or the path) answered the SYN.
            slots.sample(job.destinationKey, seconds: now - job.started)
            finish(job, rawConnect.finish(job))
        }
    }

    /// Ends the attempts whose current phase ran out of its own budget: the TCP handshake (a SYN
    /// with no answer), and for libcurl checks the tunnel, the TLS handshake and the request, each
    /// measured from its own start. Runs at the earliest known deadline, and every
    /// `phaseScanInterval` while libcurl checks are in flight (a phase's start is seen only here).
    private func enforceDeadlines(now: Double) {
        owner.check()
        guard now >= nextDeadline || (!active.isEmpty && now >= lastPhaseScan + Self.phaseScanInterval) else {
            return
        }
        lastPhaseScan = now
        var next = Double.infinity
        var expired: [Job] = []
        for job in active.values {
            guard job.easy != nil else { continue }
            let connecting = !job.tcpConfirmed
            job.advancePhase(now: now)
            if connecting && job.tcpConfirmed {
                answered(job, now: now)
            } else if connecting && now >= job.presumeAt {
                presumeIfUnanswered(job, socket: job.context?.pointee.binding.fd ?? -1, now: now)
            }
            if connecting && !job.tcpConfirmed { next = min(next, job.presumeAt) }
            let deadline = job.phaseStart + job.phaseBudgets.budget(of: job.phase)
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
                // Unanswered at a poll after its presumption time (answered, the poll would have
                // handed it to `collectRaw`): presumed dropped without asking the kernel again.
                if job.presumeAt <= lastPoll { presume(job) }
                next = min(next, job.connectDeadline, job.presumeAt)
            }
        }
        nextDeadline = next
        for job in expired {
            guard let easy = job.easy else { continue }
            var raw = AttemptHarvest.read(job, easy: easy)
            if job.phase == .connect {
                raw.synTimedOut = true
            } else {
                raw.phaseTimedOut = job.phase
                raw.phaseBudget = job.phaseBudgets.budget(of: job.phase)
            }
            finish(job, raw)
        }
        for job in expiredRaw {
            var raw = AttemptHarvest.base(job)
            raw.synTimedOut = true
            finish(job, raw)
        }
    }

    /// Settles the destination slot of an attempt that took one. A connected socket goes to the
    /// runner with the result, which closes it beside the loops' connects, and holds its slot until
    /// then; when the destination has no slot free (checks wait for one), the loop closes it here
    /// instead, so the next check towards it starts now rather than after a round trip through the
    /// runner. Without a socket, the slot is free at once.
    private func handOver(_ raw: inout RawAttempt, slotOf key: String) {
        if raw.socket >= 0 && slots.isFull(key) { raw.closeSocket() }
        if raw.socket >= 0 {
            raw.heldSlot = key
        } else {
            slots.release(key, loop: index)
        }
    }

    /// Ends every waiting and running attempt as interrupted.
    private func abandonAll() {
        owner.check()
        for job in pending {
            var raw = RawAttempt()
            raw.interrupted = true
            job.completion(raw)
        }
        pending.removeAll()
        for job in Array(active.values) + Array(rawActive.values) {
            var raw = RawAttempt()
            raw.interrupted = true
            raw.elapsed = MonotonicClock.now() - job.started
            finish(job, raw)
        }
    }

    /// Releases what the attempt holds (its handle, its socket, its destination slot: a connected
    /// socket handed over keeps it) and reports it.
    private func finish(_ job: Job, _ result: RawAttempt) {
        owner.check()
        var raw = result
        if let easy = job.easy {
            if let multi { nls_curl_multi_remove_handle(multi, easy.pointer) }
            nls_curl_easy_cleanup(easy.pointer)
            active[easy.pointer] = nil
            job.easy = nil
        }
        if job.pollDescriptor >= 0 {
            rawActive[job.pollDescriptor] = nil
            job.pollDescriptor = -1
        }
        // A socket still owned here was not handed over: closed.
        job.socket = nil
        if job.working {
            job.working = false
            working -= 1
        }
        if job.counted {
            job.counted = false
            handOver(&raw, slotOf: job.destinationKey)
        }
        if let list = job.connectTo {
            nls_curl_slist_free_all(list)
            job.connectTo = nil
        }
        job.releaseContext()
        job.completion(raw)
    }
}
