internal import CSocket

#if canImport(Glibc)
    import Glibc
#endif

/// A socket's TCP state as the kernel reports it (TCP_INFO's `tcpi_state`; the TCP_* names of
/// netinet/tcp.h).
enum TCPState: Sendable, Equatable, CaseIterable {
    /// TCP_ESTABLISHED: the handshake completed and the connection is open.
    case established
    /// TCP_SYN_SENT: the SYN left and no answer came yet.
    case synSent
    /// TCP_SYN_RECV: a SYN came in (a listener's side).
    case synReceived
    /// TCP_FIN_WAIT1: this side closed first; its FIN is not acknowledged yet.
    case finWait1
    /// TCP_FIN_WAIT2: this side's FIN was acknowledged; waiting for the peer's.
    case finWait2
    /// TCP_TIME_WAIT: both sides closed; waiting out late segments.
    case timeWait
    /// TCP_CLOSE: no connection (never made, refused, or gone).
    case closed
    /// TCP_CLOSE_WAIT: the peer closed first; this side has not yet.
    case closeWait
    /// TCP_LAST_ACK: the peer closed first, then this side; waiting for the last acknowledgement.
    case lastAck
    /// TCP_LISTEN: a listening socket.
    case listen
    /// TCP_CLOSING: both sides closed at once.
    case closing

    /// The state the kernel reports as `value`; nil for a value this enum does not know.
    init?(kernelValue value: Int32) {
        switch Int(value) {
        case TCP_ESTABLISHED: self = .established
        case TCP_SYN_SENT: self = .synSent
        case TCP_SYN_RECV: self = .synReceived
        case TCP_FIN_WAIT1: self = .finWait1
        case TCP_FIN_WAIT2: self = .finWait2
        case TCP_TIME_WAIT: self = .timeWait
        case TCP_CLOSE: self = .closed
        case TCP_CLOSE_WAIT: self = .closeWait
        case TCP_LAST_ACK: self = .lastAck
        case TCP_LISTEN: self = .listen
        case TCP_CLOSING: self = .closing
        default: return nil
        }
    }

    /// The state of socket `fd`; nil when it is not a TCP socket or cannot be read.
    static func of(socket fd: Int32) -> TCPState? {
        fd < 0 ? nil : TCPState(kernelValue: nls_tcp_state(fd))
    }

    /// True when the handshake completed: established, or closing after it was (FIN_WAIT1/2,
    /// TIME_WAIT, CLOSE_WAIT, LAST_ACK, CLOSING). A refused connect ends in CLOSE: not this.
    var handshakeCompleted: Bool {
        switch self {
        case .established, .finWait1, .finWait2, .timeWait, .closeWait, .lastAck, .closing: true
        case .synSent, .synReceived, .closed, .listen: false
        }
    }
}
