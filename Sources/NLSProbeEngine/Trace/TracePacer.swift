import Foundation
import Synchronization

/// Spaces the probes of every trace of a run: at most one probe each `interval` seconds, whatever
/// the number of traces running, so a run's traces never add up to a burst.
final class TracePacer: Sendable {
    private let next = Mutex<Double>(0)
    private let interval: Double

    init(interval: Double) {
        self.interval = max(0, interval)
    }

    /// Waits (blocking the calling trace thread) for the next free slot.
    func wait() {
        let now = MonotonicClock.now()
        let slot = next.withLock { next in
            let slot = max(next, now)
            next = slot + interval
            return slot
        }
        let delay = slot - now
        if delay > 0 { Thread.sleep(forTimeInterval: delay) }
    }
}
