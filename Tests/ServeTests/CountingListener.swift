import Foundation
import Synchronization
import TestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// A TCP listener on loopback that accepts, counts and closes: how many probes reached it.
final class CountingListener: Sendable {
    /// The loopback port it listens on.
    let port: UInt16
    private let fd: Int32
    private let accepted = Atomic<Int>(0)
    private let stopped = Atomic<Bool>(false)
    private let exited = Atomic<Bool>(false)

    /// Listens and starts accepting; throws when it cannot.
    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(fd, 128) == 0 else {
            close(fd)
            throw TestSetupError("counting listener: errno \(errno)")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        port = UInt16(bigEndian: address.sin_port)
        self.fd = fd
        Thread { [self] in self.acceptLoop() }.start()
    }

    /// Connections accepted so far.
    var count: Int { accepted.load(ordering: .acquiring) }

    private func acceptLoop() {
        while !stopped.load(ordering: .acquiring) {
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 50) > 0 else { continue }
            let client = accept(fd, nil, nil)
            guard client >= 0 else { continue }
            accepted.wrappingAdd(1, ordering: .releasing)
            close(client)
        }
        exited.store(true, ordering: .releasing)
    }

    /// Stops accepting and closes the listener (bounded wait for the loop).
    func stop() {
        guard !stopped.exchange(true, ordering: .acquiringAndReleasing) else { return }
        _ = Wait.until(timeout: 2) { exited.load(ordering: .acquiring) }
        close(fd)
    }

    deinit { stop() }
}
