import NLSProbeCore

#if canImport(Glibc)
    import Glibc
#endif

/// What libcurl and the socket layer reported for one attempt, before classification.
struct RawAttempt: Sendable {
    /// Whether a non-blocking connect whose socket became writable got through the handshake, from
    /// the socket's error: none, or a reset after it. A reset answering the SYN is ECONNREFUSED;
    /// ECONNRESET or EPIPE come only once the connection was established (accept-and-reset servers).
    static func handshakeCompleted(socketError: Int32) -> Bool {
        socketError == 0 || socketError == ECONNRESET || socketError == EPIPE
    }

    /// libcurl's result (a plain TCP check reports CURLE_COULDNT_CONNECT for a failed connect).
    var curlCode = CurlResult.ok
    /// libcurl's error text, or its text for `curlCode`.
    var curlMessage: String = ""
    /// The errno of the failed connect or transfer (CURLINFO_OS_ERRNO, or the socket's error).
    var osErrno: Int32 = 0
    /// Seconds from start to TCP connected, 0 when it never connected.
    var connectTime: Double = 0
    /// True when the TCP handshake completed (libcurl's timer, or the socket's own state: libcurl
    /// only stamps its connect time once TLS is done too).
    var tcpConnected = false
    /// Seconds from start to TLS (or proxy tunnel) done, 0 when not reached.
    var appConnectTime: Double = 0
    /// Seconds from start to the first response byte, 0 when none.
    var startTransferTime: Double = 0
    /// The HTTP status of the answer (CURLINFO_RESPONSE_CODE), 0 when none.
    var responseCode: Int = 0
    /// A proxy's status in answer to CONNECT (CURLINFO_HTTP_CONNECTCODE), 0 when none.
    var proxyConnectCode: Int = 0
    /// The first certificate verification error OpenSSL reported, `.ok` when none.
    var verifyResult = CertificateVerifyResult.ok
    /// Certificates the peer presented beyond those recorded in `tls.chain` (at most ten are).
    var chainOmitted = 0
    /// A subject or issuer in `tls.chain` was too long and was cut (it ends in "…").
    var chainNamesCut = false
    /// errno of socket() or bind() when they failed, else 0.
    var socketErrno: Int32 = 0
    /// bind() failed (the source address is not on this host, or of the other family).
    var bindFailed = false
    /// A byte of response body arrived (the engine stops the transfer there).
    var bodySeen = false
    /// The engine stopped the attempt because the TCP handshake got no answer in time.
    var synTimedOut = false
    /// The engine stopped the attempt because a phase after the TCP handshake ran out of its own
    /// budget (the tunnel, the TLS handshake or the request); nil otherwise.
    var phaseTimedOut: AttemptPhase?
    /// The budget of the phase that ran out, in seconds.
    var phaseBudget: Double = 0
    /// The proxy the attempt went through, as libcurl used it.
    var route = ProxyRoute.none
    /// Through an HTTP proxy: its answer to CONNECT was complete (status line, headers, blank line)
    /// and a yes (2xx), so the tunnel opened. A status line alone proves nothing: a proxy may send
    /// "200" and then garbage or a flood of headers.
    var tunnelOpen = false
    /// The run was interrupted before the attempt finished.
    var interrupted = false
    /// Seconds from start to the end of the attempt.
    var elapsed: Double = 0
    /// Wall-clock start of the attempt, seconds since the epoch (to match captured packets).
    var startedAt: Double = 0
    /// The local port bound before connecting (with capture), 0 when none.
    var boundPort: Int = 0
    /// The local address of the connection, when it connected.
    var localAddress: String?
    /// The local port of the connection, when it connected.
    var localPort: Int?
    /// The peer reset the connection once the handshake had completed, before the engine looked
    /// (plain TCP checks): the port answered, so it is open.
    var resetAfterConnect = false
    /// A connected plain TCP socket handed over with the result: the descriptor the loop's
    /// `OwnedSocket` released for the hand-over. Whoever settles the attempt adopts it into an
    /// `OwnedSocket` again, reads its local endpoint and closes it, off the engine threads (-1: none).
    var socket: Int32 = -1
    /// Closes the connected `socket` handed over with the result, if any, after reading its local
    /// endpoint into `localAddress` and `localPort` (the report's source of the connection).
    mutating func closeSocket() {
        guard let socket = OwnedSocket(adopting: self.socket) else { return }
        if let local = SocketEndpoint(localOf: socket) {
            localAddress = local.address
            localPort = local.port
        }
        self.socket = -1
        _ = consume socket
    }

    /// The destination whose slot the connected `socket` still holds (an open connection counts
    /// towards `--per-destination` until it is closed): freed by whoever closes it.
    var heldSlot: String?
    /// What the TLS handshake showed, when one began.
    var tls: TLSEvidence?
    /// What the HTTP answer showed, when one came.
    var http: HTTPEvidence?
    /// libcurl's detailed proxy error (CURLINFO_PROXY_ERROR: SOCKS replies and handshake failures).
    var proxyError: Int = 0
    /// What the proxy said, for proxied checks.
    var proxy: ProxyEvidence?
    /// The ICMP error that answered the SYN, from the socket's error queue (`IP_RECVERR`).
    var icmp: ICMPEvidence?
}
