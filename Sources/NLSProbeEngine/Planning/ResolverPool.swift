import Foundation
import NLSProbeCore
import Synchronization

/// A bounded pool of threads that resolve names with the system resolver (getaddrinfo, which
/// cannot be cancelled): names resolve in parallel, at most `bound` at a time.
///
/// Each name has a timeout, counted from when it was asked for; when it passes, the caller gets a
/// failure at once. A thread whose lookup outlived its timeout stays in the pool, counted as
/// `stuck`, until getaddrinfo returns: the pool never has more than `bound` threads, and a name
/// asked for while every thread is stuck waits (within its own timeout) for one to come free.
/// Threads end when no name waits for them.
public final class ResolverPool: Sendable {
    /// What the pool holds at one moment.
    public struct Statistics: Sendable, Equatable {
        /// Threads alive (never more than the bound).
        public var threads: Int
        /// Threads inside a lookup.
        public var busy: Int
        /// Threads inside a lookup whose caller was already answered (its timeout passed).
        public var stuck: Int
        /// Names waiting for a thread.
        public var queued: Int
    }

    /// The pool every run shares: 16 names at a time.
    public static let shared = ResolverPool(bound: 16)

    /// The most threads the pool runs.
    public let bound: Int
    private let lookup: @Sendable (String) -> Result<[String], Resolver.Failure>
    private let state = Mutex(State())

    private final class Request: Sendable {
        let host: String
        let asked: Double
        let timeout: Double
        let once = Once()
        let completion: @Sendable (Resolution) -> Void

        init(host: String, timeout: Double, completion: @escaping @Sendable (Resolution) -> Void) {
            self.host = host
            self.timeout = timeout
            self.completion = completion
            asked = MonotonicClock.now()
        }

        /// Milliseconds since the lookup was asked, to a tenth as every timing in a report.
        var milliseconds: Double { Durations.milliseconds(MonotonicClock.now() - asked) }
    }

    private struct State {
        var queue: [Request] = []
        var head = 0
        var threads = 0
        /// The request each busy thread is looking up, by thread number.
        var current: [Int: Request] = [:]
        var nextThread = 0

        /// Names waiting for a thread and still waiting for their answer.
        var queued: Int { queue[head...].filter { $0.once.isOpen }.count }
    }

    /// A pool of at most `bound` threads resolving with getaddrinfo.
    public convenience init(bound: Int) {
        self.init(bound: bound, lookup: Resolver.lookup)
    }

    /// A pool whose threads resolve with `lookup` (blocking).
    init(bound: Int, lookup: @escaping @Sendable (String) -> Result<[String], Resolver.Failure>) {
        self.bound = max(1, bound)
        self.lookup = lookup
    }

    /// What the pool holds now.
    public var statistics: Statistics {
        state.withLock { state in
            let stuck = state.current.values.filter { !$0.once.isOpen }.count
            return Statistics(threads: state.threads, busy: state.current.count, stuck: stuck, queued: state.queued)
        }
    }

    /// Resolves `host`: the answer, or a failure once `timeout` seconds have passed.
    public func resolve(_ host: String, timeout: Double) async -> Resolution {
        await withCheckedContinuation { continuation in
            resolve(host, timeout: timeout) { continuation.resume(returning: $0) }
        }
    }

    /// Resolves `host` and calls `completion` exactly once, on a pool or timer thread: with the
    /// answer, or with a failure once `timeout` seconds have passed. An IP literal answers at once.
    public func resolve(_ host: String, timeout: Double, completion: @escaping @Sendable (Resolution) -> Void) {
        if let literal = IPAddress(host) {
            completion(.literal(literal.description))
            return
        }
        let request = Request(host: host, timeout: timeout, completion: completion)
        let spawn = state.withLock { state -> Int? in
            state.queue.append(request)
            // Threads between two lookups take from the queue themselves.
            let free = state.threads - state.current.count
            guard state.queued > free, state.threads < bound else { return nil }
            state.threads += 1
            state.nextThread += 1
            return state.nextThread
        }
        if let number = spawn { startThread(number) }
        DispatchQueue.global().asyncAfter(deadline: .now() + max(0, timeout)) { [self] in
            guard request.once.claim() else { return }
            let waiting = state.withLock { state in state.queue[state.head...].contains { $0 === request } }
            let reason =
                waiting
                ? "no answer from the resolver within \(Durations.format(timeout)): every resolver thread (\(bound)) was still waiting for other names"
                : "no answer from the resolver within \(Durations.format(timeout))"
            request.completion(.failed(reason: reason, milliseconds: timeout * 1000))
        }
    }

    private func startThread(_ number: Int) {
        let thread = Thread { [self] in work(number) }
        thread.name = "nlsprobe-resolver-\(number)"
        thread.stackSize = 256 * 1024
        thread.start()
    }

    /// A pool thread: takes names until none waits, then ends.
    private func work(_ number: Int) {
        while let request = take(number) {
            let outcome = lookup(request.host)
            state.withLock { _ = $0.current.removeValue(forKey: number) }
            guard request.once.claim() else { continue }
            switch outcome {
            case .success(let addresses):
                request.completion(.addresses(addresses, milliseconds: request.milliseconds))
            case .failure(let reason):
                request.completion(.failed(reason: reason.text, milliseconds: request.milliseconds))
            }
        }
    }

    /// The next name still waiting for its answer, noted as this thread's; nil (and the thread is
    /// no longer counted) when none is left.
    private func take(_ number: Int) -> Request? {
        state.withLock { state -> Request? in
            while state.head < state.queue.count {
                let request = state.queue[state.head]
                state.head += 1
                if state.head > 64 && state.head * 2 > state.queue.count {
                    state.queue.removeFirst(state.head)
                    state.head = 0
                }
                // A name whose timeout passed while it waited was answered already.
                guard request.once.isOpen else { continue }
                state.current[number] = request
                return request
            }
            state.threads -= 1
            return nil
        }
    }
}
