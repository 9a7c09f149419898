import NLSProbeCore
import Testing

@testable import NLSProbeEngine

#if canImport(Glibc)
    import Glibc
#endif

/// Per-phase budgets, the proxy a check goes through, and how a proxy's own answers and failures
/// are told apart from the destination's: pure logic, no network.
@Suite struct PhaseAndProxyClassifierTests {
    static func check(_ proto: FlowProtocol, proxy: ProxySetting = .direct) -> PlannedCheck {
        var settings = CheckSettings()
        settings.connectTimeout = 10
        settings.tlsTimeout = 1
        settings.requestTimeout = 2
        settings.proxy = proxy
        return PlannedCheck(
            flowIndex: 0, port: 443, proto: proto, sourceGroup: "clients", sourceAddress: nil,
            destinationGroup: "cls", host: "cls.test", address: proxy == .direct ? "198.18.0.2" : nil,
            expect: .allow, settings: settings)
    }

    static let httpProxy = ProxySetting.url("http://proxy.test:3128")

    @Test func eachPhaseHasItsOwnBudget() {
        let direct = PhaseBudgets(check: Self.check(.https), route: .none)
        #expect(direct.phase(after: .connect) == .tls)
        #expect(direct.phase(after: .tls) == .request)
        #expect(direct.phase(after: .request) == nil)
        #expect(direct.budget(of: .connect) == 10)
        #expect(direct.budget(of: .tls) == 1)
        #expect(direct.budget(of: .request) == 2)
        #expect(direct.total == 13)
        #expect(direct.untilTLSDone == 11)
        let tunnel = PhaseBudgets(check: Self.check(.tls, proxy: Self.httpProxy), route: .http)
        #expect(tunnel.phase(after: .connect) == .tunnel)
        #expect(tunnel.phase(after: .tunnel) == .tls)
        #expect(tunnel.budget(of: .tunnel) == 10)
        #expect(tunnel.total == 21)
        let plain = PhaseBudgets(check: Self.check(.http, proxy: Self.httpProxy), route: .http)
        #expect(plain.phase(after: .connect) == .request)
        let tcp = PhaseBudgets(check: Self.check(.tcp), route: .none)
        #expect(tcp.phase(after: .connect) == nil)
        #expect(tcp.total == 10)
        // A SOCKS tunnel's end is not visible: its phase carries the budgets after it.
        let socks = PhaseBudgets(check: Self.check(.https, proxy: .url("socks5://s.test:1080")), route: .socks)
        #expect(socks.budget(of: .tunnel) == 13)
        #expect(socks.total == 23)
        let https = PhaseBudgets(check: Self.check(.tls, proxy: .url("https://p.test:443")), route: .https)
        #expect(https.budget(of: .tunnel) == 11)
    }

    @Test func routesFollowTheSettingAndTheEnvironment() {
        let none: (String) -> String? = { _ in nil }
        #expect(ProxyRoute.of(.direct, scheme: "https", host: "a.test", environment: none) == .none)
        #expect(ProxyRoute.of(.url("socks5h://s:1"), scheme: "https", host: "a.test", environment: none) == .socks)
        #expect(ProxyRoute.of(.url("HTTPS://p:1"), scheme: "https", host: "a.test", environment: none) == .https)
        #expect(ProxyRoute.of(.url("http://p:1"), scheme: "http", host: "a.test", environment: none) == .http)
        let environment = [
            "https_proxy": "socks5://s:1", "HTTP_PROXY": "http://ignored:1", "no_proxy": ".corp.test, b.test",
        ]
        let lookup: (String) -> String? = { environment[$0] }
        #expect(ProxyRoute.of(.environment, scheme: "https", host: "a.test", environment: lookup) == .socks)
        // libcurl reads http_proxy in lower case only.
        #expect(ProxyRoute.of(.environment, scheme: "http", host: "a.test", environment: lookup) == .none)
        #expect(ProxyRoute.of(.environment, scheme: "https", host: "x.corp.test", environment: lookup) == .none)
        #expect(ProxyRoute.of(.environment, scheme: "https", host: "b.test", environment: lookup) == .none)
        #expect(ProxyRoute.of(.environment, scheme: "https", host: "bb.test", environment: lookup) == .socks)
        #expect(
            ProxyRoute.of(.environment, scheme: "http", host: "a", environment: { $0 == "ALL_PROXY" ? "p:1" : nil })
                == .http)
        #expect(ProxyRoute.bypasses("*", host: "any.test"))
        #expect(ProxyRoute.http.tunnels(.tls) && !ProxyRoute.http.tunnels(.http) && ProxyRoute.socks.tunnels(.http))
    }

    @Test func aPhaseThatRunsOutSaysWhichAndItsOwnBudget() {
        var raw = RawAttempt()
        raw.tcpConnected = true
        raw.phaseTimedOut = .tls
        raw.phaseBudget = 1
        #expect(
            Classifier.observation(raw, check: Self.check(.tls))
                == (.tlsFailed, "TCP connected, but the TLS handshake did not complete within 1.0 s"))
        raw.phaseTimedOut = .request
        raw.phaseBudget = 2
        #expect(Classifier.observation(raw, check: Self.check(.https)).0 == .httpError)
        #expect(Classifier.observation(raw, check: Self.check(.https)).1.contains("within 2.0 s"))
    }

    @Test func aProxyThatStallsOrSendsGarbageIsTheProxys() {
        let tls = Self.check(.tls, proxy: Self.httpProxy)
        var raw = RawAttempt()
        raw.route = .http
        raw.tcpConnected = true
        raw.phaseTimedOut = .tunnel
        raw.phaseBudget = 10
        let stalled = Classifier.observation(raw, check: tls)
        #expect(stalled.0 == .proxyFailed)
        #expect(stalled.1.contains("did not answer CONNECT cls.test:443 in full within 10.0 s"), "\(stalled.1)")
        raw.phaseTimedOut = nil
        raw.curlCode = 43
        raw.curlMessage = "A libcurl function was given a bad argument"
        let garbage = Classifier.observation(raw, check: tls)
        #expect(garbage.0 == .proxyFailed)
        #expect(garbage.1.contains("the proxy http://proxy.test:3128 did not answer CONNECT"), "\(garbage.1)")
        // A tunnel that opened: what follows is the destination's.
        raw.curlCode = 28
        raw.proxyConnectCode = 200
        raw.tunnelOpen = true
        raw.phaseTimedOut = .tls
        raw.phaseBudget = 1
        #expect(Classifier.observation(raw, check: tls).0 == .tlsFailed)
        // "200" then a flood of headers or garbage: the answer never ended, the tunnel never opened.
        raw.tunnelOpen = false
        raw.phaseTimedOut = nil
        raw.curlCode = 56
        raw.curlMessage = "Too large response headers: 307235 > 307200"
        #expect(Classifier.observation(raw, check: tls).0 == .proxyFailed)
    }

    @Test func aProxysOwnAnswerToPlainHTTPIsNeverAPass() {
        let http = Self.check(.http, proxy: Self.httpProxy)
        func answer(_ status: Int, via: String? = nil, squid: String? = nil, server: String? = nil) -> Observed {
            var raw = RawAttempt()
            raw.route = .http
            raw.tcpConnected = true
            raw.curlCode = 23
            raw.bodySeen = true
            raw.responseCode = status
            raw.startTransferTime = 0.01
            raw.http = HTTPEvidence(status: status, server: server, via: via, date: nil, clockSkewS: nil)
            var proxy = ProxyEvidence(url: "http://proxy.test:3128", credentialsSent: false)
            proxy.via = via
            proxy.error = squid
            proxy.server = server
            raw.proxy = proxy
            return Classifier.observation(raw, check: http).0
        }
        #expect(answer(502, server: "haproxy") == .proxyFailed)
        #expect(answer(503, via: "1.1 squid") == .proxyFailed)
        #expect(answer(403, server: "mwg") == .proxyDenied)
        #expect(answer(404) == .proxyDenied)
        #expect(answer(403, via: "1.1 squid", squid: "ERR_ACCESS_DENIED 0") == .proxyDenied)
        #expect(answer(407) == .proxyAuthRequired)
        #expect(answer(403, via: "1.1 proxy.test") == .proxyDenied)
        #expect(answer(511, via: "1.1 proxy.test") == .proxyDenied)
        // Forwarded (Via) answers are the destination's; a success or redirect with no sign of
        // forwarding proves nothing: a login redirect or a block page looks the same.
        #expect(answer(404, via: "1.1 proxy.test") == .open)
        #expect(answer(200, via: "1.1 proxy.test") == .open)
        #expect(answer(302, via: "1.1 proxy.test") == .open)
        #expect(answer(200) == .proxyUnverified)
        #expect(answer(302, server: "mwg") == .proxyUnverified)
        #expect(answer(200, via: "1.1 squid", squid: "ERR_ACCESS_DENIED 0") == .proxyUnverified)
        #expect(Verdict.judge(expect: .allow, observed: .proxyUnverified) == .inconclusive)
        #expect(Verdict.judge(expect: .block, observed: .proxyUnverified) == .inconclusive)
        // Direct, a 502 is the destination's own answer: HTTP answered.
        var direct = RawAttempt()
        direct.tcpConnected = true
        direct.responseCode = 502
        direct.http = HTTPEvidence(status: 502, server: nil, via: nil, date: nil, clockSkewS: nil)
        #expect(Classifier.observation(direct, check: Self.check(.http)).0 == .open)
    }

    @Test func hugeHeadersAreTheServers() {
        var raw = RawAttempt()
        raw.tcpConnected = true
        raw.curlCode = 27
        #expect(Classifier.observation(raw, check: Self.check(.http)).0 == .httpError)
        raw.tcpConnected = false
        #expect(Classifier.observation(raw, check: Self.check(.http)).0 == .localError)
    }

    @Test func theSocketReserveFitsSmallLimits() {
        #expect(FileLimits.socketBudget(openFileLimit: 64) == 48)
        #expect(FileLimits.socketBudget(openFileLimit: 20) == 4)
        #expect(FileLimits.socketBudget(openFileLimit: 1024) == 960)
        #expect(FileLimits.socketBudget(openFileLimit: 1 << 20) == (1 << 20) - 64)
        #expect(FileLimits.socketBudget(openFileLimit: 1) == 1)
    }
}
