import Synchronization

/// Checks in flight per destination, counted across every loop. A loop that finds a destination
/// full leaves the job waiting and is woken when another loop frees a slot of it.
final class DestinationSlots: Sendable {
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

    /// Checks in flight at once towards one destination.
    let cap: Int
    private let state = Mutex(State())

    /// Slots of `cap` per destination, none taken.
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
