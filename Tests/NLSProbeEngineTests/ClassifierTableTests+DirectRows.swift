import NLSProbeCore
import Testing

@testable import NLSProbeEngine

#if canImport(Glibc)
    import Glibc
#endif

// The rows of the classifier table for checks without a proxy (see ClassifierTableTests).
extension ClassifierTableTests {
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
            "connectFailure: an ICMP error read from the socket's error queue", expect: .unreachable,
            "ICMP communication administratively prohibited (ICMP 3/13) from 198.18.9.1 in answer to the SYN to "
                + "198.18.0.2:443",
            raw: { raw in
                curl(7, errno: EHOSTUNREACH, connected: false)(&raw)
                raw.icmp = ICMPEvidence(
                    version: 4, type: 3, code: 13, from: "198.18.9.1",
                    text: "communication administratively prohibited",
                    adminProhibited: true)
            }),
        Row(
            "connectFailure: ICMP port unreachable read from the socket of an http check (a reject, not the host's reset)",
            .http, expect: .unreachable,
            "ICMP destination unreachable: port unreachable (ICMP 3/3) from 198.18.9.1 in answer to the SYN to "
                + "198.18.0.2:443",
            raw: { raw in
                curl(7, errno: ECONNREFUSED, connected: false)(&raw)
                raw.icmp = ICMPEvidence(
                    version: 4, type: 3, code: 3, from: "198.18.9.1", text: "destination unreachable: port unreachable",
                    adminProhibited: false)
            }),
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
}
