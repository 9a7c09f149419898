import NLSProbeCore
import Testing

@testable import NLSProbeEngine

#if canImport(Glibc)
    import Glibc
#endif

// The rows of the classifier table for checks through a proxy (see ClassifierTableTests).
extension ClassifierTableTests {
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
            "proxy: curl 7 with an ICMP error read from the socket (the hop to the proxy)", proxy: httpProxy,
            expect: .proxyUnreachable,
            "the proxy http://proxy.test:3128 could not be reached: ICMP destination unreachable: administratively "
                + "prohibited (ICMP 3/13) from 198.18.9.1 in answer to the SYN to the proxy",
            raw: { raw in
                curl(7, errno: EHOSTUNREACH, connected: false)(&raw)
                raw.icmp = ICMPEvidence(
                    version: 4, type: 3, code: 13, from: "198.18.9.1",
                    text: "destination unreachable: administratively prohibited", adminProhibited: true)
            }),
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
}
