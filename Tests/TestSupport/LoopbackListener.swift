#if canImport(Glibc)
    import Glibc
#endif

/// A listening TCP socket on 127.0.0.1 at a port the kernel picked. The owner accepts on `fd` and
/// closes it.
public struct LoopbackListener: Sendable {
    /// The listening socket.
    public let fd: Int32
    /// The loopback port it listens on.
    public let port: UInt16

    /// Binds to a free loopback port and listens with an accept queue of `backlog` (0: the
    /// smallest the kernel allows); `reuseAddress` sets SO_REUSEADDR. Throws when it cannot.
    public init(backlog: Int32, reuseAddress: Bool = false) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestSetupError("listener setup failed: errno \(errno)") }
        if reuseAddress {
            var yes: Int32 = 1
            setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        }
        let bound = sockaddr_in.loopback(port: 0).withSocketAddress { bind(fd, $0, $1) }
        guard bound == 0, listen(fd, backlog) == 0 else {
            let code = errno
            close(fd)
            throw TestSetupError("listener setup failed: errno \(code)")
        }
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        self.fd = fd
        port = UInt16(bigEndian: address.sin_port)
    }
}
