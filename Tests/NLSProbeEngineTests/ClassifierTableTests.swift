import NLSProbeCore
import Testing

@testable import NLSProbeEngine

#if canImport(Glibc)
    import Glibc
#endif

// Issue 14: one row per outcome branch of the classifier, read off the code. Branches counted as
// the `return`s that produce an outcome (a tuple, a reason, or the nil that hands the decision
// on), with each errno, curl code, verify result and SOCKS reply of a shared `case` listed:
//
// Classifier.swift
//   observation            2  intercepted; the transport's own answer
//   interception           3  re-signed chain; nil (not TLS / no expected issuers); nil (a match)
//   transportObservation  30  tuple returns, plus hand-offs to ProxyClassifier, phaseTimeout,
//                             openObservation (codes 0, 23 with a body) and connectFailure (7, 45,
//                             55/56 before TCP connected)
//   phaseTimeout           4  connect, tunnel, tls, request
//   openObservation        4  tcp (with or without a reset after), tls, http without a status,
//                             http with a status
//   connectFailure         9  ECONNREFUSED, EHOSTUNREACH, ENETUNREACH, EPERM/EACCES, ETIMEDOUT,
//                             EADDRNOTAVAIL, EMFILE/ENFILE, 0, any other errno
//   untrustedReason        7  verify 10, 9, 18, 19, 20/21/2, a host name mismatch, anything else
// ProxyClassifier.swift
//   observation            6  proxy name did not resolve, no answer, reset, refused, TLS to an
//                             https:// proxy failed; nil (no route), plus hand-offs to socks*,
//                             tunnelObservation and plainHTTPObservation
//   tunnelObservation      4  stalled, incomplete, not HTTP; nil (tunnel open)
//   plainHTTPObservation   5  stalled, garbage; nil (no status, nothing wrong); nil (forwarded);
//                             unverified; plus the hand-off to refusal
//   refusal                5  407, 502/503/504, 300...599 denied (three wordings); nil when
//                             forwarded; not an HTTP status (600 and up)
//   socksStall             4  TLS did not complete, no HTTP response, nothing came back; nil
//   socksObservation       7  refused, host/network unreachable, TTL expired, not allowed,
//                             resolve, authentication (4 codes), anything else
//
// CURLPX_* values are libcurl's `CURLproxycode` enum (curl/curl.h); the test target does not
// import CCurl, so the rows use the numbers with the constant's name beside them.
@Suite struct ClassifierTableTests {
    struct Row: Sendable, CustomTestStringConvertible {
        let name: String
        let check: PlannedCheck
        let raw: RawAttempt
        let observed: Observed
        let fragment: String

        var testDescription: String { name }

        init(
            _ name: String, _ proto: FlowProtocol = .tls, proxy: ProxySetting = .direct,
            address: String? = "198.18.0.2", source: String? = nil, caFile: String? = nil,
            issuers: [String] = [], expect observed: Observed, _ fragment: String,
            raw configure: (inout RawAttempt) -> Void = { _ in }
        ) {
            var settings = CheckSettings()
            settings.connectTimeout = 10
            settings.tlsTimeout = 1
            settings.requestTimeout = 2
            settings.proxy = proxy
            settings.tls.caFile = caFile
            settings.tls.expectedIssuers = issuers
            check = PlannedCheck(
                flowIndex: 0, port: 443, proto: proto, sourceGroup: "clients", sourceAddress: source,
                destinationGroup: "cls", host: "cls.test", address: proxy == .direct ? address : nil,
                expect: .allow, settings: settings)
            var raw = RawAttempt()
            configure(&raw)
            self.name = name
            self.raw = raw
            self.observed = observed
            self.fragment = fragment
        }
    }

    static let httpProxy = ProxySetting.url("http://proxy.test:3128")
    static let httpsProxy = ProxySetting.url("https://proxy.test:443")
    static let socksProxy = ProxySetting.url("socks5h://socks.test:1080")

    static func certificate(subject: String, issuer: String, sha256: String = String(repeating: "0", count: 64))
        -> CertificateInfo
    {
        CertificateInfo(
            subject: subject, issuer: issuer, notBefore: "2030-01-01T00:00:00Z", notAfter: "2020-01-02T00:00:00Z",
            sha256: sha256)
    }

    /// A leaf for cls.test from an intermediate of the expected CA.
    static let genuine = TLSEvidence(
        version: "TLSv1.3", cipher: "TLS_AES_128_GCM_SHA256",
        chain: [
            certificate(subject: "CN=cls.test", issuer: "CN=NVIDIA Issuing CA"),
            certificate(
                subject: "CN=NVIDIA Issuing CA", issuer: "CN=NVIDIA Root CA", sha256: String(repeating: "ab", count: 32)
            ),
        ])
    /// The same leaf re-signed by an inspecting proxy.
    static let resigned = TLSEvidence(
        version: "TLSv1.3", chain: [certificate(subject: "CN=cls.test", issuer: "CN=Corp Inspection CA")])

    /// A finished TLS handshake with `tls` as evidence.
    static func handshake(_ tls: TLSEvidence?, curlCode: CurlResult = 0) -> (inout RawAttempt) -> Void {
        { raw in
            raw.curlCode = curlCode
            raw.tcpConnected = true
            raw.connectTime = 0.002
            raw.appConnectTime = curlCode == 0 ? 0.01 : 0
            raw.tls = tls
        }
    }

    /// A proxied plain HTTP answer (curl stops after the header: code 23 with the body seen).
    static func proxied(
        _ status: Int, via: String? = nil, squid: String? = nil, server: String? = nil, credentials: Bool = false,
        offered: [String] = []
    ) -> (inout RawAttempt) -> Void {
        { raw in
            raw.tcpConnected = true
            raw.curlCode = 23
            raw.bodySeen = true
            raw.responseCode = status
            raw.startTransferTime = 0.01
            raw.http = HTTPEvidence(status: status, server: server, via: via)
            raw.proxy = ProxyEvidence(
                url: "http://proxy.test:3128", server: server, via: via, error: squid, authOffered: offered,
                credentialsSent: credentials)
        }
    }

    /// A CONNECT answered with `status` (the tunnel did not open).
    static func connect(_ status: Int, squid: String? = nil, server: String? = nil) -> (inout RawAttempt) -> Void {
        { raw in
            raw.tcpConnected = true
            raw.curlCode = 56
            raw.curlMessage = "CONNECT tunnel failed, response \(status)"
            raw.proxyConnectCode = status
            raw.proxy = ProxyEvidence(url: "http://proxy.test:3128", server: server, error: squid)
        }
    }

    /// A SOCKS reply (curl code 97, CURLE_PROXY) with CURLINFO_PROXY_ERROR `code`.
    static func socks(_ code: Int) -> (inout RawAttempt) -> Void {
        { raw in
            raw.tcpConnected = true
            raw.curlCode = 97
            raw.curlMessage = "SOCKS5 reply \(code)"
            raw.proxyError = code
        }
    }

    static func curl(
        _ code: CurlResult, _ message: String = "", errno: Int32 = 0, connected: Bool = true, tlsDone: Bool = false
    )
        -> (inout RawAttempt) -> Void
    {
        { raw in
            raw.curlCode = code
            raw.curlMessage = message
            raw.osErrno = errno
            raw.tcpConnected = connected
            raw.connectTime = connected ? 0.002 : 0
            raw.appConnectTime = tlsDone ? 0.01 : 0
        }
    }

    static func untrusted(
        _ verify: CertificateVerifyResult, _ message: String = "SSL certificate problem", leaf: Bool = true
    )
        -> (inout RawAttempt) -> Void
    {
        { raw in
            raw.curlCode = 60
            raw.curlMessage = message
            raw.verifyResult = verify
            raw.tcpConnected = true
            raw.tls = leaf ? TLSEvidence(chain: [certificate(subject: "CN=cls.test", issuer: "CN=Test CA")]) : nil
        }
    }

    static func phase(_ phase: AttemptPhase, budget: Double) -> (inout RawAttempt) -> Void {
        { raw in
            raw.tcpConnected = true
            raw.phaseTimedOut = phase
            raw.phaseBudget = budget
        }
    }

    static func errnoText(_ code: Int32) -> String { "\(String(cString: strerror(code))), errno \(code)" }

    static let cases: [Row] =
        classifierRows + transportRows + phaseAndOpenRows + connectFailureRows + untrustedRows + proxyRows
        + tunnelRows + plainHTTPRows + socksRows

    // MARK: Classifier.observation and interception

    static let classifierRows: [Row] = [
        Row(
            "interception: open, re-signed chain", issuers: ["NVIDIA"], expect: .tlsIntercepted,
            "issued by CN=Corp Inspection CA, not by an expected issuer (NVIDIA)", raw: handshake(resigned)),
        Row(
            "interception: untrusted, re-signed chain", issuers: ["NVIDIA"], expect: .tlsIntercepted,
            "something on the path re-signs the traffic", raw: handshake(resigned, curlCode: 60)),
        Row(
            "interception: a leaf whose subject only names the issuer is still re-signed",
            issuers: ["cls.test"], expect: .tlsIntercepted, "not by an expected issuer (cls.test)",
            raw: handshake(resigned)),
        Row(
            "interception: nil, the issuer matches", issuers: ["nvidia issuing"], expect: .open,
            "TLS handshake completed (TLSv1.3, TLS_AES_128_GCM_SHA256) in 10 ms", raw: handshake(genuine)),
        Row(
            "interception: nil, an intermediate's subject matches", issuers: ["NVIDIA Issuing CA"], expect: .open,
            "TLS handshake completed", raw: handshake(genuine)),
        Row(
            "interception: nil, a colon-separated SHA-256 pin matches",
            issuers: [Array(repeating: "AB", count: 32).joined(separator: ":")], expect: .open,
            "TLS handshake completed", raw: handshake(genuine)),
        Row(
            "interception: nil, no expected issuers", expect: .open, "TLS handshake completed",
            raw: handshake(resigned)),
        Row(
            "interception: nil, not a TLS check", .tcp, issuers: ["NVIDIA"], expect: .open, "TCP connected in 2 ms",
            raw: handshake(resigned)),
        Row(
            "observation: a failed handshake is never called intercepted", issuers: ["NVIDIA"], expect: .tlsFailed,
            "TLS handshake failed: boom",
            raw: { raw in
                handshake(resigned, curlCode: 35)(&raw)
                raw.curlMessage = "boom"
            }),
    ]

    // MARK: transportObservation (its own tuple returns)

    static let transportRows: [Row] = [
        Row(
            "transport: interrupted", expect: .localError, "interrupted before the check finished",
            raw: { $0.interrupted = true }),
        Row(
            "transport: bind, address not on this host", source: "198.51.100.77", expect: .localError,
            "source address 198.51.100.77 is not on this host (\(errnoText(EADDRNOTAVAIL)))",
            raw: { raw in
                raw.bindFailed = true
                raw.socketErrno = EADDRNOTAVAIL
            }),
        Row(
            "transport: bind, other errno", expect: .localError,
            "could not bind source address the source address: \(errnoText(EACCES))",
            raw: { raw in
                raw.bindFailed = true
                raw.socketErrno = EACCES
            }),
        Row(
            "transport: socket, EMFILE", expect: .localError,
            "out of file descriptors (\(errnoText(EMFILE))); lower --concurrency", raw: { $0.socketErrno = EMFILE }),
        Row(
            "transport: socket, ENFILE", expect: .localError, "out of file descriptors (\(errnoText(ENFILE)))",
            raw: { $0.socketErrno = ENFILE }),
        Row(
            "transport: socket, other errno", expect: .localError,
            "could not open a socket: \(errnoText(EAFNOSUPPORT))", raw: { $0.socketErrno = EAFNOSUPPORT }),
        Row(
            "transport: SYN timed out", expect: .filtered, "no answer to SYN within 10.0 s",
            raw: { $0.synTimedOut = true }),
        Row(
            "transport: curl 7 ECONNRESET, TLS check", expect: .tlsFailed,
            "then the connection was reset before the TLS handshake completed", raw: curl(7, errno: ECONNRESET)),
        Row(
            "transport: curl 7 ECONNRESET, HTTP check", .http, expect: .httpError,
            "the server reset the connection before an HTTP response", raw: curl(7, errno: ECONNRESET)),
        // No ECONNRESET case for plain TCP (or HTTPS: usesTLS covers it): tcp goes to connectFailure.
        Row(
            "transport: curl 7 ECONNRESET, TCP check (connectFailure default)", .tcp, expect: .unreachable,
            "could not connect to 198.18.0.2:443: \(errnoText(ECONNRESET))", raw: curl(7, errno: ECONNRESET)),
        Row(
            "transport: curl 45 (connectFailure)", expect: .localError,
            "no usable source address for 198.18.0.2:443", raw: curl(45, errno: EADDRNOTAVAIL, connected: false)),
        Row(
            "transport: curl 28 before TCP connected", expect: .filtered, "no answer to SYN within 10.0 s",
            raw: curl(28, connected: false)),
        Row(
            "transport: curl 28 during TLS", expect: .tlsFailed,
            "TCP connected, but the TLS handshake did not complete within 1.0 s", raw: curl(28)),
        Row(
            "transport: curl 28 waiting for HTTP", .https, expect: .httpError,
            "connected, but no HTTP response within 2.0 s", raw: curl(28, tlsDone: true)),
        Row(
            "transport: curl 28 waiting for HTTP, plain", .http, expect: .httpError,
            "no HTTP response within 2.0 s", raw: curl(28)),
        Row(
            "transport: curl 35 ECONNRESET", expect: .tlsFailed, "the TLS handshake was reset (RST after ClientHello)",
            raw: curl(35, "OpenSSL SSL_connect: error", errno: ECONNRESET)),
        Row(
            "transport: curl 35 reset by peer", expect: .tlsFailed, "(RST after ClientHello)",
            raw: curl(35, "Recv failure: Connection reset by peer")),
        Row(
            "transport: curl 35 alert", expect: .tlsFailed,
            "TLS handshake failed: error:0A000410:SSL routines::sslv3 alert handshake failure",
            raw: curl(35, "error:0A000410:SSL routines::sslv3 alert handshake failure\n")),
        Row(
            "transport: curl 35 wrong version number", expect: .tlsFailed,
            "the server did not answer with TLS (error:0A00010B:SSL routines::wrong version number)",
            raw: curl(35, "error:0A00010B:SSL routines::wrong version number")),
        Row(
            "transport: curl 35 packet length too long", expect: .tlsFailed, "the server did not answer with TLS",
            raw: curl(35, "packet length too long")),
        Row(
            "transport: curl 35 unexpected eof", expect: .tlsFailed,
            "then the peer closed the connection during the TLS handshake",
            raw: curl(35, "error:0A000126:SSL routines::unexpected eof while reading")),
        Row(
            "transport: curl 35 SSL_ERROR_SYSCALL", expect: .tlsFailed, "peer closed the connection during the TLS",
            raw: curl(35, "OpenSSL SSL_connect: SSL_ERROR_SYSCALL in connection to cls.test:443")),
        Row(
            "transport: curl 59 other", expect: .tlsFailed, "TLS handshake failed: failed setting cipher list",
            raw: curl(59, "  failed setting cipher list  ")),
        Row(
            "transport: curl 51 (untrustedReason)", expect: .tlsUntrusted, "certificate does not name cls.test",
            raw: curl(51, "SSL: no alternative certificate subject name matches target host name 'cls.test'")),
        Row(
            "transport: curl 77", caFile: "/etc/missing.pem", expect: .localError,
            "the CA file /etc/missing.pem could not be loaded: error setting certificate file",
            raw: curl(77, "error setting certificate file", connected: false)),
        Row(
            "transport: curl 58", expect: .localError, "local TLS settings could not be used: bad client cert",
            raw: curl(58, "bad client cert", connected: false)),
        Row(
            "transport: curl 52", .http, expect: .httpError,
            "connected, but the server closed the connection without an HTTP response", raw: curl(52)),
        Row(
            "transport: curl 1", .http, expect: .httpError, "no valid HTTP response: Received HTTP/0.9",
            raw: curl(1, "Received HTTP/0.9 when not allowed")),
        Row(
            "transport: curl 8", .http, expect: .httpError, "no valid HTTP response: Weird server reply",
            raw: curl(8, "Weird server reply")),
        Row(
            "transport: curl 16", .https, expect: .httpError, "no valid HTTP response: HTTP/2 stream 1",
            raw: curl(16, "HTTP/2 stream 1 was not closed cleanly", tlsDone: true)),
        Row(
            "transport: curl 92", .https, expect: .httpError, "no valid HTTP response: Stream error",
            raw: curl(92, "Stream error in the HTTP/2 framing layer", tlsDone: true)),
        Row(
            "transport: curl 56 during TLS", expect: .tlsFailed,
            "then the connection broke during the TLS handshake: Recv failure", raw: curl(56, "Recv failure")),
        Row(
            "transport: curl 55 before TCP connected (connectFailure)", expect: .refused,
            "TCP reset in answer to SYN from 198.18.0.2:443",
            raw: curl(55, "Send failure", errno: ECONNREFUSED, connected: false)),
        Row(
            "transport: curl 56 header flood", .http, expect: .httpError,
            "more HTTP header bytes than libcurl accepts: Too large response headers",
            raw: curl(56, "Too large response headers: 307235 > 307200")),
        Row(
            "transport: curl 56 broke", .https, expect: .httpError,
            "the connection broke before a complete HTTP response: Recv failure",
            raw: curl(56, "Recv failure: Connection reset by peer", tlsDone: true)),
        Row(
            "transport: curl 6", expect: .dnsFailed, "cls.test did not resolve: Could not resolve host: cls.test",
            raw: curl(6, "Could not resolve host: cls.test", connected: false)),
        Row(
            "transport: curl 27, HTTP header line", .http, expect: .httpError,
            "an HTTP header line longer than libcurl accepts (100 KB)", raw: curl(27)),
        Row(
            "transport: curl 27, HTTPS header line", .https, expect: .httpError, "longer than libcurl accepts",
            raw: curl(27, tlsDone: true)),
        Row(
            "transport: curl 27, not connected", .http, expect: .localError, "out of memory",
            raw: curl(27, connected: false)),
        Row("transport: curl 27, TLS check", expect: .localError, "out of memory", raw: curl(27)),
        Row(
            "transport: other code, not connected", expect: .localError,
            "libcurl could not run the check (code 2): Failed initialization",
            raw: curl(2, "Failed initialization", connected: false)),
        Row(
            "transport: other code, during TLS", expect: .tlsFailed, "TLS handshake failed (libcurl code 43): bad",
            raw: curl(43, "bad")),
        Row(
            "transport: other code, after TLS", .https, expect: .httpError,
            "the request failed (libcurl code 18): transfer closed", raw: curl(18, "transfer closed", tlsDone: true)),
        Row(
            "transport: curl 23 without a body", .http, expect: .httpError,
            "the request failed (libcurl code 23): Failure writing output", raw: curl(23, "Failure writing output")),
    ]

    // MARK: phaseTimeout and openObservation

    static let phaseAndOpenRows: [Row] = [
        Row(
            "phaseTimeout: connect", expect: .filtered, "no answer to SYN within 4.0 s",
            raw: phase(.connect, budget: 4)),
        // A tunnel phase reaches phaseTimeout only when ProxyClassifier hands it on: a proxy taken
        // from the environment that the attempt's route does not show.
        Row(
            "phaseTimeout: tunnel", proxy: .environment, expect: .proxyFailed,
            "the tunnel through environment did not open within 10.0 s", raw: phase(.tunnel, budget: 10)),
        Row(
            "phaseTimeout: tls", expect: .tlsFailed,
            "TCP connected, but the TLS handshake did not complete within 1.0 s",
            raw: phase(.tls, budget: 1)),
        Row(
            "phaseTimeout: request", .https, expect: .httpError,
            "connected, but no complete HTTP response header within 2.0 s", raw: phase(.request, budget: 2)),
        Row("openObservation: tcp", .tcp, expect: .open, "TCP connected in 2 ms", raw: curl(0)),
        Row(
            "openObservation: tcp, reset after", .tcp, expect: .open,
            "TCP connected in 2 ms; the server reset the connection right after",
            raw: { raw in
                curl(0)(&raw)
                raw.resetAfterConnect = true
            }),
        Row(
            "openObservation: tls without evidence", expect: .open, "TLS handshake completed in 10 ms",
            raw: curl(0, tlsDone: true)),
        Row(
            "openObservation: http without a status", .http, expect: .httpError,
            "connected, but no HTTP status line came back", raw: curl(0)),
        Row(
            "openObservation: https with a status", .https, expect: .open, "HTTP 200 in 30 ms (Server: nginx)",
            raw: { raw in
                curl(0, tlsDone: true)(&raw)
                raw.startTransferTime = 0.03
                raw.http = HTTPEvidence(status: 200, server: "nginx")
            }),
        Row(
            "openObservation: curl 23 with a body", .http, expect: .open, "HTTP 404 in 30 ms",
            raw: { raw in
                curl(23)(&raw)
                raw.bodySeen = true
                raw.startTransferTime = 0.03
                raw.http = HTTPEvidence(status: 404)
            }),
    ]

    // MARK: connectFailure (curl 7)

    static let connectFailureRows: [Row] = [
        Row(
            "connectFailure: ECONNREFUSED", expect: .refused,
            "TCP reset in answer to SYN from 198.18.0.2:443 (connection refused)",
            raw: curl(7, errno: ECONNREFUSED, connected: false)),
        Row(
            "connectFailure: ECONNREFUSED, IPv6 target", address: "2001:db8::1", expect: .refused,
            "from [2001:db8::1]:443", raw: curl(7, errno: ECONNREFUSED, connected: false)),
        Row(
            "connectFailure: EHOSTUNREACH", expect: .unreachable,
            "host unreachable: an ICMP error (host unreachable or administratively prohibited) answered the SYN to 198.18.0.2:443",
            raw: curl(7, errno: EHOSTUNREACH, connected: false)),
        Row(
            "connectFailure: ENETUNREACH", expect: .unreachable, "network unreachable: no route to 198.18.0.2:443",
            raw: curl(7, errno: ENETUNREACH, connected: false)),
        Row(
            "connectFailure: EPERM", expect: .unreachable,
            "this host's own firewall refused to send the SYN to 198.18.0.2:443 (\(errnoText(EPERM)))",
            raw: curl(7, errno: EPERM, connected: false)),
        Row(
            "connectFailure: EACCES", expect: .unreachable, "own firewall refused to send the SYN",
            raw: curl(7, errno: EACCES, connected: false)),
        Row(
            "connectFailure: ETIMEDOUT", expect: .filtered, "no answer to SYN within 10.0 s",
            raw: curl(7, errno: ETIMEDOUT, connected: false)),
        Row(
            "connectFailure: EADDRNOTAVAIL", expect: .localError,
            "no usable source address for 198.18.0.2:443 (\(errnoText(EADDRNOTAVAIL)))",
            raw: curl(7, errno: EADDRNOTAVAIL, connected: false)),
        Row(
            "connectFailure: EMFILE", expect: .localError, "out of file descriptors (\(errnoText(EMFILE)))",
            raw: curl(7, errno: EMFILE, connected: false)),
        Row(
            "connectFailure: ENFILE", expect: .localError, "out of file descriptors (\(errnoText(ENFILE)))",
            raw: curl(7, errno: ENFILE, connected: false)),
        Row(
            "connectFailure: no errno", expect: .unreachable,
            "could not connect to 198.18.0.2:443: Failed to connect to cls.test port 443",
            raw: curl(7, "Failed to connect to cls.test port 443\n", connected: false)),
        Row(
            "connectFailure: other errno", expect: .unreachable,
            "could not connect to 198.18.0.2:443: \(errnoText(EPROTO))",
            raw: curl(7, errno: EPROTO, connected: false)),
    ]

    // MARK: untrustedReason (curl 60)

    static let untrustedRows: [Row] = [
        Row(
            "untrustedReason: 10 expired", expect: .tlsUntrusted,
            "certificate expired (not after 2020-01-02T00:00:00Z) (issuer: CN=Test CA)", raw: untrusted(10)),
        Row(
            "untrustedReason: 10 expired, no chain", expect: .tlsUntrusted, "certificate expired (not after ?)",
            raw: untrusted(10, leaf: false)),
        Row(
            "untrustedReason: 9 not yet valid", expect: .tlsUntrusted,
            "certificate not yet valid (not before 2030-01-01T00:00:00Z) (issuer: CN=Test CA)", raw: untrusted(9)),
        Row(
            "untrustedReason: 18 self-signed", expect: .tlsUntrusted,
            "self-signed certificate, not trusted (subject: CN=cls.test)", raw: untrusted(18)),
        Row(
            "untrustedReason: 19 untrusted root", expect: .tlsUntrusted,
            "the chain ends in a self-signed root this host does not trust (issuer: CN=Test CA)", raw: untrusted(19)),
        Row(
            "untrustedReason: 20", expect: .tlsUntrusted,
            "the certificate's issuer is not trusted by this host (issuer: CN=Test CA); add its CA with tls.ca_file",
            raw: untrusted(20)),
        Row(
            "untrustedReason: 21", expect: .tlsUntrusted, "issuer is not trusted by this host", raw: untrusted(21)),
        Row("untrustedReason: 2", expect: .tlsUntrusted, "issuer is not trusted by this host", raw: untrusted(2)),
        Row(
            "untrustedReason: subject name", expect: .tlsUntrusted,
            "certificate does not name cls.test (subject: CN=cls.test)",
            raw: untrusted(0, "SSL: no alternative certificate subject name matches")),
        Row(
            "untrustedReason: hostname", expect: .tlsUntrusted, "certificate does not name cls.test",
            raw: untrusted(62, "SSL: certificate subject does not match target hostname")),
        Row(
            "untrustedReason: host name", expect: .tlsUntrusted, "certificate does not name cls.test",
            raw: untrusted(0, "target host name mismatch", leaf: false)),
        Row(
            "untrustedReason: anything else", expect: .tlsUntrusted,
            "certificate not trusted: SSL certificate problem: certificate revoked",
            raw: untrusted(23, "SSL certificate problem: certificate revoked")),
    ]

    // MARK: ProxyClassifier.observation

    static let proxyRows: [Row] = [
        Row(
            "proxy: curl 5, the proxy did not resolve", proxy: httpProxy, expect: .proxyUnreachable,
            "the proxy http://proxy.test:3128 did not resolve: Could not resolve proxy: proxy.test",
            raw: curl(5, "Could not resolve proxy: proxy.test", connected: false)),
        Row(
            "proxy: SYN to the proxy timed out", proxy: httpProxy, expect: .proxyUnreachable,
            "no answer from the proxy http://proxy.test:3128 within 10.0 s", raw: { $0.synTimedOut = true }),
        Row(
            "proxy: curl 28 before connecting to the proxy", proxy: socksProxy, expect: .proxyUnreachable,
            "no answer from the proxy socks5h://socks.test:1080 within 10.0 s", raw: curl(28, connected: false)),
        Row(
            "proxy: curl 7 ECONNRESET", proxy: httpProxy, expect: .proxyFailed,
            "the proxy http://proxy.test:3128 accepted the TCP connection, then reset it before opening a tunnel to cls.test:443",
            raw: curl(7, errno: ECONNRESET, connected: false)),
        Row(
            "proxy: curl 7 refused", proxy: httpProxy, expect: .proxyUnreachable,
            "the proxy http://proxy.test:3128 could not be reached: \(errnoText(ECONNREFUSED))",
            raw: curl(7, errno: ECONNREFUSED, connected: false)),
        Row(
            "proxy: curl 35 to an https:// proxy", proxy: httpsProxy, expect: .proxyUnreachable,
            "the TLS connection to the proxy https://proxy.test:443 failed: OpenSSL SSL_connect",
            raw: curl(35, "OpenSSL SSL_connect: SSL_ERROR_SYSCALL")),
        Row(
            "proxy: curl 60 to an https:// proxy", .https, proxy: httpsProxy, expect: .proxyUnreachable,
            "the TLS connection to the proxy https://proxy.test:443 failed: SSL certificate problem",
            raw: curl(60, "SSL certificate problem: self-signed certificate")),
        Row(
            "proxy: nil, environment proxy with no route", proxy: .environment, expect: .tlsFailed,
            "TLS handshake failed: error:0A000410", raw: curl(35, "error:0A000410:SSL routines::alert")),
    ]

    // MARK: tunnelObservation and refusal (CONNECT)

    static let tunnelRows: [Row] = [
        Row(
            "refusal: 407 without credentials", proxy: httpProxy, expect: .proxyAuthRequired,
            "proxy http://proxy.test:3128 answered 407 Proxy Authentication Required (no credentials were sent)",
            raw: connect(407)),
        Row(
            "refusal: 502 to CONNECT", proxy: httpProxy, expect: .proxyFailed,
            "proxy http://proxy.test:3128 answered 502 Bad Gateway: it could not reach cls.test:443 (Server: squid)",
            raw: connect(502, server: "squid")),
        Row(
            "refusal: 503 to CONNECT", proxy: httpProxy, expect: .proxyFailed, "answered 503 Service Unavailable",
            raw: connect(503)),
        Row(
            "refusal: 504 to CONNECT", proxy: httpProxy, expect: .proxyFailed, "answered 504 Gateway Timeout",
            raw: connect(504)),
        Row(
            "refusal: 403 to CONNECT", proxy: httpProxy, expect: .proxyDenied,
            "proxy http://proxy.test:3128 refused cls.test:443 with 403 Forbidden (ERR_ACCESS_DENIED 0, Server: squid)",
            raw: connect(403, squid: "ERR_ACCESS_DENIED 0", server: "squid")),
        Row(
            "refusal: 301 to CONNECT", .https, proxy: httpProxy, expect: .proxyDenied,
            "refused cls.test:443 with 301 Moved Permanently", raw: connect(301)),
        // A status of 600 or more is no HTTP status: the proxy's answer is broken.
        Row(
            "refusal: 600 to CONNECT", proxy: httpProxy, expect: .proxyFailed,
            "with status 600, which is not an HTTP status", raw: connect(600)),
        Row(
            "tunnelObservation: CONNECT stalled", proxy: httpProxy, expect: .proxyFailed,
            "the proxy http://proxy.test:3128 accepted the connection but did not answer CONNECT cls.test:443 in full within 10.0 s",
            raw: phase(.tunnel, budget: 10)),
        Row(
            "tunnelObservation: CONNECT answer incomplete", .tcp, proxy: httpProxy, expect: .proxyFailed,
            "did not complete its answer to CONNECT cls.test:443 (no 2xx status with its end)",
            raw: { raw in
                curl(0)(&raw)
                raw.proxyConnectCode = 200
            }),
        Row(
            "tunnelObservation: CONNECT answer not HTTP", .https, proxy: httpProxy, expect: .proxyFailed,
            "did not answer CONNECT cls.test:443 with a valid HTTP response: Too large response headers",
            raw: { raw in
                curl(56, "Too large response headers: 307235 > 307200")(&raw)
                raw.proxyConnectCode = 200
            }),
        Row(
            "tunnelObservation: nil, the tunnel opened", proxy: httpProxy, expect: .open,
            "TLS handshake completed (TLSv1.3, TLS_AES_128_GCM_SHA256)",
            raw: { raw in
                handshake(genuine)(&raw)
                raw.proxyConnectCode = 200
                raw.tunnelOpen = true
            }),
        Row(
            "tunnelObservation: nil, https:// proxy tunnel opened, then TLS timed out", proxy: httpsProxy,
            expect: .tlsFailed, "TLS handshake did not complete within 1.0 s",
            raw: { raw in
                phase(.tls, budget: 1)(&raw)
                raw.proxyConnectCode = 200
                raw.tunnelOpen = true
            }),
    ]

    // MARK: plainHTTPObservation and refusal (plain HTTP through an HTTP proxy)

    static let plainHTTPRows: [Row] = [
        Row(
            "plainHTTP: request stalled", .http, proxy: httpProxy, expect: .proxyFailed,
            "the proxy http://proxy.test:3128 took the request for cls.test:443 but no complete answer came within 2.0 s",
            raw: phase(.request, budget: 2)),
        Row(
            "plainHTTP: garbage", .http, proxy: httpProxy, expect: .proxyFailed,
            "no valid HTTP answer came through the proxy http://proxy.test:3128 for cls.test:443: Weird server reply",
            raw: curl(8, "Weird server reply")),
        Row(
            "plainHTTP: nil, no status and no error", .http, proxy: httpProxy, expect: .httpError,
            "connected, but no HTTP status line came back", raw: curl(0)),
        Row(
            "plainHTTP: nil, forwarded 200", .http, proxy: httpProxy, expect: .open, "HTTP 200 in 10 ms",
            raw: proxied(200, via: "1.1 proxy.test")),
        Row(
            "plainHTTP: nil, forwarded 404", .http, proxy: httpProxy, expect: .open, "HTTP 404 in 10 ms",
            raw: proxied(404, via: "1.1 proxy.test")),
        Row(
            "plainHTTP: unverified 200", .http, proxy: httpProxy, expect: .proxyUnverified,
            "the proxy http://proxy.test:3128 answered 200 OK for cls.test:443 without marking it as forwarded (no Via header): nothing proves",
            raw: proxied(200)),
        Row(
            "plainHTTP: unverified 302 with the proxy's own error", .http, proxy: httpProxy,
            expect: .proxyUnverified,
            "answered 302 Found for cls.test:443 without marking it as forwarded (no Via header) (ERR_ACCESS_DENIED 0, Server: mwg)",
            raw: proxied(302, via: "1.1 squid", squid: "ERR_ACCESS_DENIED 0", server: "mwg")),
        Row(
            "refusal: 407 with credentials, offering schemes", .http, proxy: httpProxy, expect: .proxyAuthRequired,
            "(the credentials sent were refused); it offers Basic, Negotiate",
            raw: proxied(407, credentials: true, offered: ["Basic", "Negotiate"])),
        Row(
            "refusal: 503 forwarded", .http, proxy: httpProxy, expect: .proxyFailed,
            "answered 503 Service Unavailable: it could not reach cls.test:443", raw: proxied(503, via: "1.1 squid")),
        Row(
            "refusal: 404 not marked as forwarded", .http, proxy: httpProxy, expect: .proxyDenied,
            "refused cls.test:443 with 404 Not Found and did not mark it as forwarded (no Via header)",
            raw: proxied(404)),
        Row(
            "refusal: 403 with Via", .http, proxy: httpProxy, expect: .proxyDenied,
            "refused cls.test:443 with 403 Forbidden (a status proxies give for their own refusals)",
            raw: proxied(403, via: "1.1 proxy.test")),
        Row(
            "refusal: 403 with the proxy's own error", .http, proxy: httpProxy, expect: .proxyDenied,
            "refused cls.test:443 with 403 Forbidden (ERR_ACCESS_DENIED 0)",
            raw: proxied(403, via: "1.1 squid", squid: "ERR_ACCESS_DENIED 0")),
        Row(
            "refusal: unmarked 600", .http, proxy: httpProxy, expect: .proxyFailed,
            "with status 600, which is not an HTTP status", raw: proxied(600)),
    ]

    // MARK: socksStall and socksObservation

    static let socksRows: [Row] = [
        Row(
            "socksStall: TLS did not complete", proxy: socksProxy, expect: .tlsFailed,
            "the SOCKS proxy socks5h://socks.test:1080 opened the tunnel, but the TLS handshake with cls.test:443 did not complete (the whole check has 13.0 s",
            raw: { raw in
                phase(.tunnel, budget: 13)(&raw)
                raw.tls = TLSEvidence()
            }),
        Row(
            "socksStall: no HTTP response", .http, proxy: socksProxy, expect: .httpError,
            "opened the tunnel, but no complete HTTP response came from cls.test:443 within 12.0 s",
            raw: { raw in
                phase(.tunnel, budget: 12)(&raw)
                raw.startTransferTime = 0.5
            }),
        Row(
            "socksStall: nothing came back", proxy: socksProxy, expect: .proxyFailed,
            "nothing came back through the SOCKS proxy socks5h://socks.test:1080 for cls.test:443 within 13.0 s",
            raw: phase(.tunnel, budget: 13)),
        Row(
            "socksStall: nil, no stall", .tcp, proxy: socksProxy, expect: .open, "TCP connected in 2 ms",
            raw: curl(0)),
        Row(
            "socks: 19 CURLPX_REPLY_CONNECTION_REFUSED", proxy: socksProxy, expect: .refused,
            "the SOCKS proxy socks5h://socks.test:1080 reports that cls.test:443 refused the connection (TCP reset)",
            raw: socks(19 /* CURLPX_REPLY_CONNECTION_REFUSED */)),
        Row(
            "socks: 21 CURLPX_REPLY_HOST_UNREACHABLE", proxy: socksProxy, expect: .unreachable,
            "reports cls.test:443 unreachable", raw: socks(21 /* CURLPX_REPLY_HOST_UNREACHABLE */)),
        Row(
            "socks: 22 CURLPX_REPLY_NETWORK_UNREACHABLE", proxy: socksProxy, expect: .unreachable,
            "reports cls.test:443 unreachable", raw: socks(22 /* CURLPX_REPLY_NETWORK_UNREACHABLE */)),
        Row(
            "socks: 24 CURLPX_REPLY_TTL_EXPIRED", proxy: socksProxy, expect: .proxyFailed,
            "got no answer from cls.test:443 (TTL expired)", raw: socks(24 /* CURLPX_REPLY_TTL_EXPIRED */)),
        Row(
            "socks: 23 CURLPX_REPLY_NOT_ALLOWED", proxy: socksProxy, expect: .proxyDenied,
            "does not allow a connection to cls.test:443", raw: socks(23 /* CURLPX_REPLY_NOT_ALLOWED */)),
        Row(
            "socks: 27 CURLPX_RESOLVE_HOST", proxy: socksProxy, expect: .dnsFailed,
            "could not resolve the name in cls.test:443", raw: socks(27 /* CURLPX_RESOLVE_HOST */)),
        Row(
            "socks: 12 CURLPX_NO_AUTH", proxy: socksProxy, expect: .proxyAuthRequired,
            "did not accept the authentication: SOCKS5 reply 12", raw: socks(12 /* CURLPX_NO_AUTH */)),
        Row(
            "socks: 33 CURLPX_USER_REJECTED", proxy: socksProxy, expect: .proxyAuthRequired,
            "did not accept the authentication", raw: socks(33 /* CURLPX_USER_REJECTED */)),
        Row(
            "socks: 14 CURLPX_RECV_AUTH", proxy: socksProxy, expect: .proxyAuthRequired,
            "did not accept the authentication", raw: socks(14 /* CURLPX_RECV_AUTH */)),
        Row(
            "socks: 28 CURLPX_SEND_AUTH", proxy: socksProxy, expect: .proxyAuthRequired,
            "did not accept the authentication", raw: socks(28 /* CURLPX_SEND_AUTH */)),
        Row(
            "socks: 20 CURLPX_REPLY_GENERAL_SERVER_FAILURE", proxy: socksProxy, expect: .proxyFailed,
            "the SOCKS proxy socks5h://socks.test:1080 failed to connect to cls.test:443: SOCKS5 reply 20",
            raw: socks(20 /* CURLPX_REPLY_GENERAL_SERVER_FAILURE */)),
        Row(
            "socks: 0 CURLPX_OK with curl 97", proxy: socksProxy, expect: .proxyFailed,
            "failed to connect to cls.test:443",
            raw: socks(0 /* CURLPX_OK */)),
    ]

    @Test(arguments: ClassifierTableTests.cases)
    func classifierOutcome(_ row: Row) {
        let (observed, reason) = Classifier.observation(row.raw, check: row.check)
        #expect(observed == row.observed, "\(row.name): \(reason)")
        #expect(reason.contains(row.fragment), "\(row.name): \(reason)")
    }
}
