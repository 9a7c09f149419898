import NLSProbeCore
import Synchronization

/// Where the engine and the resolver leave what the runner waits for: results pile up behind a
/// lock and the runner takes them in batches. Only the first of a batch signals the runner, so an
/// engine thread does not wake it once per attempt.
final class ResultInbox: Sendable {
    /// One thing the runner waits for.
    enum Item: Sendable {
        /// The result of check `index`'s attempt (boxed: a result is a few hundred bytes, and an
        /// item is copied in and out of the waiting list).
        case attempt(Int, AttemptResult)
        /// The answer for a name.
        case name(String, Resolution)
        /// Nothing but a reason to look again (the run was interrupted).
        case wake
    }

    private let waiting = Mutex<[Item]>([])
    private let signal: AsyncStream<Void>.Continuation
    private let signals: AsyncStream<Void>

    init() {
        (signals, signal) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Leaves the result of check `index`'s attempt (called on an engine thread).
    func put(_ index: Int, _ raw: consuming RawAttempt) { put(.attempt(index, AttemptResult(raw))) }

    /// Leaves the answer for `name` (called on a resolver thread).
    func resolved(_ name: String, _ resolution: Resolution) { put(.name(name, resolution)) }

    /// Makes the runner look again (any thread).
    func wake() { put(.wake) }

    private func put(_ item: Item) {
        let first = waiting.withLock { items in
            items.append(item)
            return items.count == 1
        }
        if first { signal.yield() }
    }

    /// Ends `batches` once the waiting items are taken.
    func finish() { signal.finish() }

    /// The waiting items, a batch per signal; empty batches are skipped.
    var batches: AsyncCompactMapSequence<AsyncStream<Void>, [Item]> {
        signals.compactMap { _ in
            let batch = self.take()
            return batch.isEmpty ? nil : batch
        }
    }

    private func take() -> [Item] {
        waiting.withLock { items in
            let batch = items
            // The next batch is likely as large: room for it at once, rather than growing from
            // nothing through copies of every result (a result is a few hundred bytes).
            items = []
            items.reserveCapacity(batch.count)
            return batch
        }
    }

    /// One attempt's result as the engine left it, shared by reference while it waits in the inbox.
    final class AttemptResult: Sendable {
        let raw: RawAttempt

        init(_ raw: consuming RawAttempt) { self.raw = raw }
    }
}
