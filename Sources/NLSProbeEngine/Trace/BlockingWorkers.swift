import Dispatch
import Foundation
import Synchronization

/// Runs blocking work (a trace waiting for answers, a DNS diagnosis) on a few threads of its own,
/// never on Swift's cooperative pool, and hands back the results by index.
enum BlockingWorkers {
    /// Runs `body` for 0..<count on at most `workers` threads; an index whose body returns nil,
    /// or that `proceed` refuses when its turn comes, has no result.
    static func run<T: Sendable>(
        _ count: Int, workers: Int, proceed: @escaping @Sendable () -> Bool = { true },
        _ body: @escaping @Sendable (Int) -> T?
    ) async -> [Int: T] {
        guard count > 0 else { return [:] }
        let state = Mutex<(next: Int, results: [Int: T])>((0, [:]))
        return await withCheckedContinuation { continuation in
            let group = DispatchGroup()
            for _ in 0..<max(1, min(workers, count)) {
                group.enter()
                let thread = Thread {
                    while true {
                        let index: Int? = state.withLock { state in
                            guard state.next < count else { return nil }
                            state.next += 1
                            return state.next - 1
                        }
                        guard let index, proceed() else { break }
                        if let result = body(index) { state.withLock { $0.results[index] = result } }
                    }
                    group.leave()
                }
                thread.stackSize = 256 * 1024
                thread.name = "nlsprobe-trace"
                thread.start()
            }
            group.notify(queue: .global()) {
                continuation.resume(returning: state.withLock { $0.results })
            }
        }
    }
}
