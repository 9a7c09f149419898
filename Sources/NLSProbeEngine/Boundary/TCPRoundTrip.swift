#if canImport(Glibc)
    import Glibc
#endif

/// The round-trip time the kernel measured on a TCP socket (TCP_INFO's `tcpi_rtt`): once the
/// handshake completed, the time its SYN took to be answered.
enum TCPRoundTrip {
    /// Seconds, from socket `fd`; nil when it cannot be read or no round trip was measured yet.
    static func of(socket fd: Int32) -> Double? {
        guard fd >= 0 else { return nil }
        var info = tcp_info()
        var length = socklen_t(MemoryLayout<tcp_info>.size)
        let result = withUnsafeMutablePointer(to: &info) { getsockopt(fd, Int32(IPPROTO_TCP), TCP_INFO, $0, &length) }
        guard result == 0, info.tcpi_rtt > 0 else { return nil }
        return Double(info.tcpi_rtt) / 1e6
    }
}
