internal import CSocket

/// How a check's socket is to be bound before it connects: to its source address, or (for packet
/// capture) to the wildcard address so that its local port is known before the SYN leaves.
struct SocketBinding: Sendable, Equatable {
    /// The numeric source address (`--source`, `--bind`), nil for none.
    var sourceAddress: String?
    /// Without a source address, bind the wildcard address, port 0.
    var bindBeforeConnect: Bool

    /// Writes the binding into the shim's struct, resetting what a previous use left there.
    func apply(to binding: inout nls_socket_binding) {
        nls_socket_binding_reset(&binding)
        if let sourceAddress { _ = nls_socket_set_bind(&binding, sourceAddress) }
        binding.bind_any = bindBeforeConnect ? 1 : 0
    }
}

/// What binding a socket came to: the port it got, or why it could not be opened or bound.
struct BindingOutcome: Sendable, Equatable {
    /// The local port after bind, 0 when nothing was bound.
    var boundPort = 0
    /// errno of socket() or bind() when they failed, else 0.
    var socketErrno: Int32 = 0
    /// True when bind() failed (false when socket() did, or all went well).
    var bindFailed = false

    /// Nothing bound, nothing failed.
    init() {}

    /// What the shim recorded in `binding`.
    init(_ binding: nls_socket_binding) {
        boundPort = Int(binding.bound_port)
        socketErrno = binding.socket_errno
        bindFailed = binding.bind_failed != 0
    }
}
