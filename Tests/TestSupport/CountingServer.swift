import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A loopback server that counts the connections it accepts and how many it has open at once: it
/// accepts every connection, reads and ignores what comes, and closes its side once the client
/// closed. Each turn takes the clients' ends before new connections, so a client that closed one
/// connection and then opened another is never counted twice. Stops on `stop()` or deinit; every
/// wait is bounded.
public final class CountingServer: Sendable {
    /// The loopback port it listens on.
    public let port: UInt16
    private let listener: Int32
    private final class State: Sendable {
        let fields = Mutex((stopped: false, exited: false, open: 0, most: 0, accepted: 0))
    }
    private let state = State()

    /// Listens and starts accepting; throws when it cannot.
    public init() throws {
        let listener = try LoopbackListener(backlog: 1024)
        self.listener = listener.fd
        port = listener.port
        // The loop holds the listener and the state, not the server, so that deinit can stop it.
        let (fd, state) = (listener.fd, self.state)
        Thread { Self.serve(fd, state) }.start()
    }

    /// The most connections open at once, and how many were accepted in all.
    public var counts: (most: Int, accepted: Int) { state.fields.withLock { ($0.most, $0.accepted) } }

    private static func serve(_ listener: Int32, _ state: State) {
        var clients: [Int32] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !state.fields.withLock({ $0.stopped }) {
            var polls = [pollfd(fd: listener, events: Int16(POLLIN), revents: 0)]
            polls += clients.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            guard poll(&polls, nfds_t(polls.count), 50) > 0 else { continue }
            for entry in polls.dropFirst() where entry.revents != 0 {
                if recv(entry.fd, &buffer, buffer.count, Int32(MSG_DONTWAIT)) <= 0 {
                    close(entry.fd)
                    clients.removeAll { $0 == entry.fd }
                    state.fields.withLock { $0.open -= 1 }
                }
            }
            if polls[0].revents != 0 {
                let client = accept(listener, nil, nil)
                if client >= 0 {
                    clients.append(client)
                    state.fields.withLock { state in
                        state.open += 1
                        state.accepted += 1
                        state.most = max(state.most, state.open)
                    }
                }
            }
        }
        clients.forEach { close($0) }
        state.fields.withLock { $0.exited = true }
    }

    /// Stops accepting, closes every connection and the listener (bounded wait for the loop); safe
    /// to call twice.
    public func stop() {
        let first = state.fields.withLock { state in
            defer { state.stopped = true }
            return !state.stopped
        }
        guard first else { return }
        _ = Wait.until(timeout: 2) { state.fields.withLock { $0.exited } }
        close(listener)
    }

    deinit { stop() }
}
