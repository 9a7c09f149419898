import Synchronization

/// A flag that lets exactly one of several racers resume a continuation.
final class Once: Sendable {
    private let taken = Mutex(false)

    /// A flag not yet claimed.
    init() {}

    /// True until someone claimed it.
    var isOpen: Bool { taken.withLock { !$0 } }

    /// True for the first caller only.
    func claim() -> Bool {
        taken.withLock { taken in
            defer { taken = true }
            return !taken
        }
    }
}
