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
//   connectFailure        10  an ICMP error read from the socket's error queue (IP_RECVERR),
//                             ECONNREFUSED, EHOSTUNREACH, ENETUNREACH, EPERM/EACCES, ETIMEDOUT,
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

    @Test(arguments: ClassifierTableTests.cases)
    func classifierOutcome(_ row: Row) {
        let (observed, reason) = Classifier.observation(row.raw, check: row.check)
        #expect(observed == row.observed, "\(row.name): \(reason)")
        #expect(reason.contains(row.fragment), "\(row.name): \(reason)")
    }
}
