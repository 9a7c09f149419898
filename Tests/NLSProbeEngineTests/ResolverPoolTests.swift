import Foundation
import NLSProbeCore
import Synchronization
import Testing

@testable import NLSProbeEngine

/// The resolver pool: bounded, and every lookup that outlives its timeout is counted until it ends.
@Suite struct ResolverPoolTests {
    /// A lookup that blocks until the gate opens (getaddrinfo with a resolver that never answers).
    final class Gate: Sendable {
        private let open = Mutex(false)
        private let entered = Mutex(0)

        func lookup(_ host: String) -> Result<[String], Resolver.Failure> {
            entered.withLock { $0 += 1 }
            // Bounded: a test that forgets to open the gate still ends.
            for _ in 0..<2000 where !open.withLock({ $0 }) { usleep(5_000) }
            return .success(["192.0.2.7"])
        }

        func release() { open.withLock { $0 = true } }
        var lookups: Int { entered.withLock { $0 } }
    }

    /// Polls `condition` every 5 ms for at most `seconds`.
    static func until(_ seconds: Double, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            usleep(5_000)
        }
        return condition()
    }

    final class Answers: Sendable {
        let list = Mutex<[String: Resolution]>([:])
        func add(_ host: String, _ resolution: Resolution) { list.withLock { $0[host] = resolution } }
        var count: Int { list.withLock { $0.count } }
        subscript(_ host: String) -> Resolution? { list.withLock { $0[host] } }
    }

    @Test func stuckLookupsAreCountedAndThePoolNeverGrowsPastItsBound() {
        let gate = Gate()
        let pool = ResolverPool(bound: 2, lookup: gate.lookup)
        let answers = Answers()
        for name in ["a.test", "b.test", "c.test", "d.test", "e.test"] {
            pool.resolve(name, timeout: 0.2) { answers.add(name, $0) }
        }
        #expect(Self.until(2) { pool.statistics.busy == 2 })
        #expect(pool.statistics.threads == 2)
        #expect(pool.statistics.queued == 3)
        // Every name times out: two inside getaddrinfo, three still waiting for a thread.
        #expect(Self.until(3) { answers.count == 5 })
        let stuck = pool.statistics
        #expect(stuck == ResolverPool.Statistics(threads: 2, busy: 2, stuck: 2, queued: 0))
        for name in ["a.test", "b.test"] {
            guard case .failed(let reason, let ms) = answers[name] else {
                Issue.record("\(name) did not fail")
                continue
            }
            #expect(reason == "no answer from the resolver within 200 ms")
            #expect(ms == 200)
        }
        guard case .failed(let reason, _) = answers["e.test"] else {
            Issue.record("e.test did not fail")
            return
        }
        #expect(reason.contains("every resolver thread (2) was still waiting for other names"))
        // The stuck lookups end: their threads find nothing left to do (the names that timed out
        // while waiting are not looked up) and end.
        gate.release()
        #expect(Self.until(3) { pool.statistics == ResolverPool.Statistics(threads: 0, busy: 0, stuck: 0, queued: 0) })
        #expect(gate.lookups == 2)
    }

    @Test func namesResolveInParallelUpToTheBound() {
        let gate = Gate()
        let pool = ResolverPool(bound: 4, lookup: gate.lookup)
        let answers = Answers()
        for index in 0..<6 {
            pool.resolve("n\(index).test", timeout: 10) { answers.add("n\(index).test", $0) }
        }
        #expect(Self.until(2) { pool.statistics.busy == 4 })
        #expect(pool.statistics.threads == 4)
        gate.release()
        #expect(Self.until(3) { answers.count == 6 })
        #expect(answers["n5.test"]?.addresses == ["192.0.2.7"])
        #expect(Self.until(3) { pool.statistics.threads == 0 })
    }

    @Test func literalsAndRealNamesResolve() async {
        let pool = ResolverPool(bound: 2)
        #expect(await pool.resolve("198.18.0.2", timeout: 1) == .literal("198.18.0.2"))
        let localhost = await pool.resolve("localhost", timeout: 5)
        #expect(localhost.addresses.contains("127.0.0.1") || localhost.addresses.contains("::1"))
    }
}
