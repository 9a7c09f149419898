import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The thread some state belongs to, claimed once by that thread and checked at every entry point
/// that touches the state (the way an event loop asserts it is on its own thread). A check costs a
/// `pthread_self()` and a relaxed load: cheap enough for a hot loop.
final class ThreadOwner: Sendable {
    /// The owning thread's identity, 0 until claimed.
    private let owner = Atomic<UInt>(0)
    /// What the state is, for the message when a check fails.
    private let name: String

    /// An owner for the state called `name`, not yet claimed by any thread.
    init(_ name: String) { self.name = name }

    /// Makes the calling thread the owner; once only.
    func claim() {
        let (exchanged, _) = owner.compareExchange(
            expected: 0, desired: Self.currentThread(), ordering: .relaxed)
        precondition(exchanged, "\(name) was already claimed by another thread")
    }

    /// True when the calling thread is the owner.
    var isCurrentThreadOwner: Bool { owner.load(ordering: .relaxed) == Self.currentThread() }

    /// Stops the process when the calling thread is not the owner: state that belongs to one thread
    /// was touched from another.
    func check(_ function: StaticString = #function, file: StaticString = #fileID, line: UInt = #line) {
        precondition(isCurrentThreadOwner, "\(name): \(function) runs on its own thread only", file: file, line: line)
    }

    private static func currentThread() -> UInt {
        #if canImport(Darwin)
            UInt(bitPattern: pthread_self())
        #else
            UInt(pthread_self())
        #endif
    }
}
