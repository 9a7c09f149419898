import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A plain TCP connection to a loopback port, for what curl will not send (malformed requests, a
/// request left half-written: a slow client) and for holding a connection open. Closed when the
/// value goes away.
public final class LoopbackClient {
    private let fd: Int32

    /// Connects to 127.0.0.1:port; nil when it cannot.
    public init?(port: UInt16) {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        let rc = sockaddr_in.loopback(port: port).withSocketAddress { connect(fd, $0, $1) }
        guard rc == 0 else {
            close(fd)
            return nil
        }
    }

    /// Sends `bytes` whole (false when the peer closed).
    @discardableResult
    public func send(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes {
                Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            guard sent > 0 else { return false }
            offset += sent
        }
        return true
    }

    /// Sends `text` as UTF-8.
    @discardableResult
    public func send(_ text: String) -> Bool { send(Array(text.utf8)) }

    /// What the peer sends until it closes or `timeout` seconds pass (at most 64 KiB).
    public func receive(timeout: Double) -> String {
        var data = [UInt8]()
        let deadline = Date().addingTimeInterval(timeout)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while data.count < 65536 {
            let left = Int32(max(0, deadline.timeIntervalSinceNow * 1000))
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard left > 0, poll(&poller, 1, left) > 0 else { break }
            let count = recv(fd, &buffer, buffer.count, 0)
            guard count > 0 else { break }
            data += buffer[..<count]
        }
        return String(decoding: data, as: UTF8.self)
    }

    deinit { close(fd) }
}
