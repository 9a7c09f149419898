import NLSProbeCore

#if canImport(Glibc)
    import Glibc
#endif

/// The phases of one attempt, each with a budget of its own measured from its own start.
enum AttemptPhase: Sendable, Equatable {
    /// The TCP handshake with the destination, or with the proxy (`connect_timeout`).
    case connect
    /// Through a proxy: from the TCP connection with the proxy to its answer to CONNECT, or the end
    /// of the SOCKS handshake (`connect_timeout`: the proxy must connect onwards in that time).
    case tunnel
    /// The TLS handshake with the destination (`tls_timeout`).
    case tls
    /// The HTTP request to its complete response header (`request_timeout`).
    case request
}

/// What libcurl and the socket layer reported for one attempt, before classification.
struct RawAttempt: Sendable {
    /// Whether a non-blocking connect whose socket became writable got through the handshake, from
    /// the socket's error: none, or a reset after it. A reset answering the SYN is ECONNREFUSED;
    /// ECONNRESET or EPIPE come only once the connection was established (accept-and-reset servers).
    static func handshakeCompleted(socketError: Int32) -> Bool {
        socketError == 0 || socketError == ECONNRESET || socketError == EPIPE
    }

    var curlCode: Int = 0
    var curlMessage: String = ""
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
    var responseCode: Int = 0
    var proxyConnectCode: Int = 0
    var verifyResult: Int = 0
    var socketErrno: Int32 = 0
    var bindFailed = false
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
    var elapsed: Double = 0
    /// Wall-clock start of the attempt, seconds since the epoch (to match captured packets).
    var startedAt: Double = 0
    /// The local port bound before connecting (with capture), 0 when none.
    var boundPort: Int = 0
    var localAddress: String?
    var localPort: Int?
    /// The peer reset the connection once the handshake had completed, before the engine looked
    /// (plain TCP checks): the port answered, so it is open.
    var resetAfterConnect = false
    /// A connected plain TCP socket handed over with the result: whoever settles the attempt reads
    /// its local endpoint and closes it, off the engine threads (-1: none).
    var socket: Int32 = -1
    var tls: TLSEvidence?
    var http: HTTPEvidence?
    /// libcurl's detailed proxy error (CURLINFO_PROXY_ERROR: SOCKS replies and handshake failures).
    var proxyError: Int = 0
    var proxy: ProxyEvidence?
}

/// The classified result of one attempt.
public struct AttemptOutcome: Sendable, Equatable {
    /// The observation.
    public var observed: Observed
    /// One line of plain English.
    public var reason: String
    /// Wall time of the attempt in milliseconds.
    public var elapsedMs: Double
    /// TCP handshake time in milliseconds, nil when TCP never connected.
    public var connectMs: Double?
    /// TLS handshake time in milliseconds, nil when none completed.
    public var tlsMs: Double?
    /// Request to first response byte in milliseconds, nil when no response came.
    public var requestMs: Double?
    /// Local address and port, TLS and HTTP evidence.
    public var evidence: Evidence
    /// Wall-clock start, seconds since the epoch.
    public var startedAt: Double = 0

    /// Creates an outcome.
    public init(
        observed: Observed, reason: String, elapsedMs: Double, connectMs: Double? = nil, tlsMs: Double? = nil,
        requestMs: Double? = nil, evidence: Evidence = Evidence()
    ) {
        self.observed = observed
        self.reason = reason
        self.elapsedMs = elapsedMs
        self.connectMs = connectMs
        self.tlsMs = tlsMs
        self.requestMs = requestMs
        self.evidence = evidence
    }
}
