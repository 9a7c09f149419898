import NLSProbeCore

#if canImport(Glibc)
    import Glibc
#endif

/// The local end of a socket: the address and port it is bound to.
struct SocketEndpoint: Sendable, Equatable {
    /// The numeric address ("127.0.0.1", "2001:db8::1").
    var address: String
    /// The port.
    var port: Int

    /// The local end of `socket`; nil when it cannot be read or has no port yet.
    ///
    /// Read once for every connected check: an IPv4 address is written out here, digit by digit,
    /// rather than through `inet_ntop` (which formats it with `sprintf`); an IPv6 one goes through
    /// `inet_ntop`.
    init?(localOf socket: borrowing OwnedSocket) {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let read = withUnsafeMutablePointer(to: &storage) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket.descriptor, $0, &length) }
        }
        guard read == 0 else { return nil }
        switch Int32(storage.ss_family) {
        case AF_INET:
            let v4 = withUnsafeBytes(of: storage) { $0.load(as: sockaddr_in.self) }
            // s_addr and sin_port are in network byte order: their bytes as they lie are the address.
            address = withUnsafeBytes(of: v4.sin_addr.s_addr) { IPAddress.dottedQuad($0) }
            port = Int(UInt16(bigEndian: v4.sin_port))
        case AF_INET6:
            let v6 = withUnsafeBytes(of: storage) { $0.load(as: sockaddr_in6.self) }
            var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
            let written = withUnsafePointer(to: v6.sin6_addr) { addr in
                inet_ntop(AF_INET6, addr, &text, socklen_t(text.count))
            }
            guard written != nil else { return nil }
            address = CText.string(text)
            port = Int(UInt16(bigEndian: v6.sin6_port))
        default:
            return nil
        }
        guard port > 0 else { return nil }
    }
}
