import Synchronization

/// Where the engine leaves finished attempts for the runner: results pile up behind a lock and the
/// runner takes them in batches. Only the first result of a batch signals the runner, so the engine
/// thread does not wake it once per attempt.
final class ResultInbox: Sendable {
    private let waiting = Mutex<[(Int, RawAttempt)]>([])
    private let signal: AsyncStream<Void>.Continuation
    private let signals: AsyncStream<Void>

    init() {
        (signals, signal) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Leaves the result of check `index`'s attempt (called on an engine thread).
    func put(_ index: Int, _ raw: RawAttempt) {
        let first = waiting.withLock { results in
            results.append((index, raw))
            return results.count == 1
        }
        if first { signal.yield() }
    }

    /// Ends `batches` once the waiting results are taken.
    func finish() { signal.finish() }

    /// The waiting results, a batch per signal; empty batches are skipped.
    var batches: AsyncCompactMapSequence<AsyncStream<Void>, [(Int, RawAttempt)]> {
        signals.compactMap { _ in
            let batch = self.take()
            return batch.isEmpty ? nil : batch
        }
    }

    private func take() -> [(Int, RawAttempt)] {
        waiting.withLock { results in
            let batch = results
            results = []
            return batch
        }
    }
}
