internal import CSocket

/// The local end of a socket: the address and port it is bound to.
struct SocketEndpoint: Sendable, Equatable {
    /// The numeric address ("127.0.0.1", "2001:db8::1").
    var address: String
    /// The port.
    var port: Int

    /// The local end of `socket`; nil when it cannot be read or has no port yet.
    init?(localOf socket: borrowing OwnedSocket) {
        var buffer = [CChar](repeating: 0, count: 64)
        var port: Int32 = 0
        guard nls_local_endpoint(socket.descriptor, &buffer, buffer.count, &port) == 0, port > 0 else { return nil }
        address = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        self.port = Int(port)
    }
}
