import Dispatch
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Ctrl-C, SIGTERM (systemd, Kubernetes, `timeout`) and SIGHUP while a run goes on: the first
/// calls the action (a run then ends within a second and keeps what it measured); a second signal
/// exits at once with 128 + its number. ``cancel()`` restores the default handling.
public final class InterruptSignals: Sendable {
    /// The signals handled, with the words said for them.
    public static let signals: [(number: Int32, name: String)] = [
        (SIGINT, "interrupted"), (SIGTERM, "SIGTERM received"), (SIGHUP, "SIGHUP received"),
    ]

    private let sources: Mutex<[DispatchSourceSignal]>

    /// Handles the signals: `notice` gets the line to show ("interrupted; finishing the reports
    /// (Ctrl-C again to quit at once)"), then `action` runs.
    public init(notice: @escaping @Sendable (String) -> Void, action: @escaping @Sendable () -> Void) {
        let count = SignalCount()
        var sources: [DispatchSourceSignal] = []
        for (number, name) in Self.signals {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                if count.increment() > 1 { exit(128 + number) }
                let again = number == SIGINT ? "Ctrl-C again" : "send it again"
                notice("\(name); finishing the reports (\(again) to quit at once)")
                action()
            }
            source.resume()
            sources.append(source)
        }
        self.sources = Mutex(sources)
    }

    /// Stops handling the signals and restores their default action.
    public func cancel() {
        sources.withLock { sources in
            for source in sources { source.cancel() }
            sources.removeAll()
        }
        for (number, _) in Self.signals { signal(number, SIG_DFL) }
    }
}

/// How many of the signals have arrived.
private final class SignalCount: Sendable {
    private let value = Atomic<Int>(0)

    /// Counts one more and returns the count.
    func increment() -> Int { value.wrappingAdd(1, ordering: .relaxed).newValue }
}
