import Foundation
import NLSProbeCore
import TestSupport
import Testing

@testable import NLSProbeEngine

/// Real servers on loopback: openssl s_server with certificates made at test time, and small
/// socket servers for misbehaviour.
@Suite(.serialized) final class EngineTests {
    /// Made once for the whole suite: key generation is the slow part.
    let folder: TemporaryFolder
    let certificates: TestCertificates

    init() throws {
        (folder, certificates) = try TestCertificates.shared.get()
    }

    func single(_ yaml: String) async throws -> CheckRecord {
        let report = try await runProfile(yaml)
        try #require(report.checks.count == 1)
        return report.checks[0]
    }

    @Test func trustedTLSIsOpenWithItsChain() async throws {
        let server = try TLSServer(
            certificate: certificates.path("good.pem"), key: certificates.path("server.key"), in: folder.url)
        defer { server.stop() }
        let check = try await single(
            loopbackProfile(
                host: "localhost", port: server.port, proto: "tls", extra: "tls: {ca_file: \(certificates.caFile)}"))
        #expect(check.observed == .open, "\(check.reason)")
        #expect(check.verdict == .pass)
        let tls = try #require(check.evidence.tls)
        #expect(tls.version?.hasPrefix("TLSv1") == true)
        #expect(tls.cipher != nil)
        let leaf = try #require(tls.chain.first)
        #expect(leaf.subject == "CN=localhost")
        #expect(leaf.issuer == "CN=nlsprobe test CA")
        #expect(leaf.sha256.count == 64)
        #expect(leaf.notAfter.hasSuffix("Z"))
        #expect(check.timingsMs.connect != nil && check.timingsMs.tls != nil)
        #expect(check.evidence.localAddress == "127.0.0.1")
        #expect(check.evidence.resolvedAddresses.contains("127.0.0.1"))
    }

    @Test func httpsRequestRecordsTheStatus() async throws {
        let server = try TLSServer(
            certificate: certificates.path("good.pem"), key: certificates.path("server.key"), in: folder.url)
        defer { server.stop() }
        let check = try await single(
            loopbackProfile(port: server.port, proto: "https", extra: "tls: {ca_file: \(certificates.caFile)}"))
        #expect(check.observed == .open, "\(check.reason)")
        #expect(check.evidence.http?.status == 200)
        #expect(check.reason.hasPrefix("HTTP 200"))
    }

    @Test(arguments: [
        ("self.pem", "self.key", "self-signed certificate"),
        ("expired.pem", "server.key", "certificate expired (not after 2020-01-02T00:00:00Z)"),
        ("wrong.pem", "wrong.key", "certificate does not name 127.0.0.1"),
    ])
    func untrustedCertificates(certificate: String, key: String, reason: String) async throws {
        let server = try TLSServer(
            certificate: certificates.path(certificate), key: certificates.path(key), in: folder.url)
        defer { server.stop() }
        let check = try await single(
            loopbackProfile(port: server.port, proto: "tls", extra: "tls: {ca_file: \(certificates.caFile)}"))
        #expect(check.observed == .tlsUntrusted)
        #expect(check.reason.contains(reason), "\(check.reason)")
        #expect(check.evidence.tls?.chain.isEmpty == false, "the presented chain is evidence even when untrusted")
    }

    @Test func untrustedWithoutTheCA() async throws {
        let server = try TLSServer(
            certificate: certificates.path("good.pem"), key: certificates.path("server.key"), in: folder.url)
        defer { server.stop() }
        let check = try await single(loopbackProfile(host: "localhost", port: server.port, proto: "tls"))
        #expect(check.observed == .tlsUntrusted)
        #expect(
            check.reason.contains("issuer is not trusted") || check.reason.contains("self-signed root"),
            "\(check.reason)")
    }

    @Test func closedPortIsRefused() async throws {
        let check = try await single(loopbackProfile(port: freePort(), proto: "tcp"))
        #expect(check.observed == .refused)
        #expect(check.reason.contains("TCP reset in answer to SYN"))
        #expect(check.verdict == .fail)
    }

    /// A server that accepts and resets at once answered the handshake: open, never refused,
    /// whether the reset arrives before the engine looks at the socket or after. Which of the two
    /// happens is a race; `socketErrorsAfterAWritableConnect` and `resetAfterTheHandshakeIsOpen`
    /// hold the reset path without one.
    @Test func acceptAndResetIsOpen() async throws {
        let server = try MisbehavingServer(.resetAtOnce)
        defer { server.stop() }
        let yaml = manyFlowsProfile(Array(repeating: "port: \(server.port), protocol: tcp", count: 100))
        let report = try await runProfile(yaml, limits: ConcurrencyLimits(global: 100, perDestination: 100))
        #expect(report.checks.count == 100)
        let wrong = report.checks.filter { $0.observed != .open }
        #expect(wrong.isEmpty, "\(wrong.prefix(3).map(\.reason))")
    }

    @Test func invalidNameIsDNSFailed() async throws {
        let check = try await single(loopbackProfile(host: "no-such-host.invalid", port: 443, proto: "tls"))
        #expect(check.observed == .dnsFailed)
        #expect(check.destination.address == nil)
        #expect(check.verdict == .fail)
        #expect(check.timingsMs.dns != nil)
    }

    @Test func bindToAnAbsentAddressIsLocalError() async throws {
        let server = try MisbehavingServer(.closeAtOnce)
        defer { server.stop() }
        var options = RunOptions(localAddresses: [])
        options.selection.bind = IPAddress("198.51.100.77")
        let report = try await runProfile(loopbackProfile(port: server.port, proto: "tcp"), options: options)
        let check = try #require(report.checks.first)
        #expect(check.observed == .localError)
        #expect(check.verdict == .inconclusive)
        #expect(check.reason.contains("198.51.100.77 is not on this host"), "\(check.reason)")
    }

    @Test func silentServerIsTLSFailedWithinTheTimeout() async throws {
        let server = try MisbehavingServer(.silent)
        defer { server.stop() }
        let check = try await single(loopbackProfile(port: server.port, proto: "tls"))
        #expect(check.observed == .tlsFailed)
        #expect(check.reason.contains("did not complete within 1.0 s"), "\(check.reason)")
        // The check's own clock (the engine thread's): bounded by connect + TLS timeouts, 2 s.
        #expect(check.timingsMs.total < 2_500, "took \(check.timingsMs.total) ms")
        #expect(check.timingsMs.total >= 900)
    }

    @Test func plainTCPCheckedAsTLSIsTLSFailed() async throws {
        let server = try MisbehavingServer(.banner)
        defer { server.stop() }
        let check = try await single(loopbackProfile(port: server.port, proto: "tls"))
        #expect(check.observed == .tlsFailed, "\(check.reason)")
    }

    @Test func silentServerIsHTTPErrorForHTTP() async throws {
        let server = try MisbehavingServer(.closeAtOnce)
        defer { server.stop() }
        let check = try await single(loopbackProfile(port: server.port, proto: "http"))
        #expect(check.observed == .httpError, "\(check.reason)")
    }

    @Test func blockExpectations() async throws {
        let closed = try await single(loopbackProfile(port: freePort(), proto: "tcp", expect: "block"))
        #expect(closed.observed == .refused)
        #expect(closed.verdict == .pass)
        let server = try MisbehavingServer(.closeAtOnce)
        defer { server.stop() }
        let open = try await single(loopbackProfile(port: server.port, proto: "tcp", expect: "block"))
        #expect(open.observed == .open)
        #expect(open.verdict == .fail)
    }

    @Test func attemptsStopAtTheFirstPass() async throws {
        let server = try MisbehavingServer(.closeAtOnce)
        defer { server.stop() }
        let yaml = loopbackProfile(port: server.port, proto: "tcp").replacingOccurrences(
            of: "attempts: 1", with: "attempts: 3")
        let check = try await single(yaml)
        #expect(check.attempts.count == 1)
        let refused = try await single(
            loopbackProfile(port: freePort(), proto: "tcp").replacingOccurrences(of: "attempts: 1", with: "attempts: 3")
        )
        #expect(refused.attempts.count == 3)
        #expect(refused.reason.hasSuffix("(all 3 attempts)"))
    }

    @Test func environmentProxyDoesNotChangeADirectCheck() async throws {
        setenv("https_proxy", "http://127.0.0.1:9", 1)
        setenv("http_proxy", "http://127.0.0.1:9", 1)
        defer {
            unsetenv("https_proxy")
            unsetenv("http_proxy")
        }
        let server = try MisbehavingServer(.closeAtOnce)
        defer { server.stop() }
        let check = try await single(loopbackProfile(port: server.port, proto: "tcp"))
        #expect(check.observed == .open, "\(check.reason)")
    }

    @Test func interruptEndsEveryCheckWithinASecond() async throws {
        let server = try MisbehavingServer(.silent)
        defer { server.stop() }
        let yaml = loopbackProfile(port: server.port, proto: "tls").replacingOccurrences(
            of: "tls_timeout: 1s", with: "tls_timeout: 30s")
        let profile = try ProfileLoader().parse(yaml, file: "inline.yaml")
        let engine = try ProbeEngine()
        defer { engine.shutdown() }
        let plan = try await ProbeRunner.plan(profile, options: RunOptions(localAddresses: []))
        let started = Date()
        Task {
            try await Task.sleep(for: .milliseconds(300))
            engine.interrupt()
        }
        let report = await ProbeRunner(engine: engine, toolVersion: "test").run(plan)
        #expect(Date().timeIntervalSince(started) < 1.5)
        #expect(report.run.interrupted)
        #expect(report.checks.first?.observed == .localError)
        #expect(report.checks.first?.reason == "interrupted before the check finished")
        #expect(report.summary.verdict == .inconclusive)
    }

    /// The per-destination cap holds across the engine's threads: 6 TLS checks to a server that
    /// never answers, 2 at a time, take three waves even though 8 could run at once.
    @Test func perDestinationCapHoldsAcrossEngineThreads() async throws {
        let server = try MisbehavingServer(.silent)
        defer { server.stop() }
        let yaml = manyFlowsProfile(
            Array(repeating: "port: \(server.port), protocol: tls", count: 6),
            defaults: "connect_timeout: 1s\ntls_timeout: 1s")
        let started = Date()
        let report = try await runProfile(yaml, limits: ConcurrencyLimits(global: 8, perDestination: 2))
        let elapsed = Date().timeIntervalSince(started)
        #expect(report.checks.count == 6)
        #expect(report.checks.allSatisfy { $0.observed == .tlsFailed })
        // Each check runs its TLS budget from its own connect; three waves of them: at least three
        // of the shortest, fewer than four and a half of the longest.
        let totals = report.checks.map { $0.timingsMs.total / 1000 }
        let shortest = totals.min() ?? 0
        let longest = totals.max() ?? 0
        #expect(shortest >= 0.9)
        #expect(
            elapsed >= 2.8 * shortest,
            "6 checks, 2 at a time, \(shortest) s or more each: three waves, took \(elapsed) s")
        #expect(elapsed < 4.5 * longest)
    }

    /// 500 checks against open and refused loopback ports: every check once, fast.
    @Test func fiveHundredChecksOnLoopback() async throws {
        let server = try MisbehavingServer(.closeAtOnce)
        defer { server.stop() }
        let closed = freePort()
        let yaml = manyFlowsProfile(
            Array(repeating: "port: \(server.port), protocol: tcp", count: 250)
                + Array(repeating: "port: \(closed), protocol: tcp, expect: block", count: 250))
        let started = Date()
        let report = try await runProfile(yaml, limits: ConcurrencyLimits(global: 256, perDestination: 256))
        let elapsed = Date().timeIntervalSince(started)
        #expect(report.checks.count == 500)
        #expect(Set(report.checks.map(\.flow.index)).count == 500)
        #expect(report.summary.pass == 500, "\(report.checks.filter { $0.verdict != .pass }.prefix(3).map(\.reason))")
        print("500 loopback checks took \(String(format: "%.3f", elapsed)) s")
        #expect(elapsed < 5)
    }
}

@Suite struct ClassifierTests {
    let check = PlannedCheck(
        flowIndex: 0, port: 443, proto: .tls, sourceGroup: "clients", sourceAddress: nil, destinationGroup: "cls",
        host: "cls.test", address: "198.18.0.2", skipReason: nil, dnsFailure: nil, dnsMilliseconds: nil,
        resolvedAddresses: ["198.18.0.2"], expect: .allow, settings: CheckSettings())

    @Test func errnoMapping() {
        var raw = RawAttempt()
        raw.curlCode = 7
        raw.osErrno = ECONNREFUSED
        #expect(Classifier.observation(raw, check: check).0 == .refused)
        raw.osErrno = EHOSTUNREACH
        #expect(Classifier.observation(raw, check: check).0 == .unreachable)
        raw.osErrno = ENETUNREACH
        #expect(Classifier.observation(raw, check: check).0 == .unreachable)
        raw.osErrno = EPERM
        #expect(Classifier.observation(raw, check: check).0 == .unreachable)
        raw = RawAttempt()
        raw.synTimedOut = true
        #expect(Classifier.observation(raw, check: check) == (.filtered, "no answer to SYN within 3.0 s"))
    }

    @Test func socketErrorsAfterAWritableConnect() {
        #expect(RawAttempt.handshakeCompleted(socketError: 0))
        #expect(RawAttempt.handshakeCompleted(socketError: ECONNRESET))
        #expect(RawAttempt.handshakeCompleted(socketError: EPIPE))
        #expect(!RawAttempt.handshakeCompleted(socketError: ECONNREFUSED))
        #expect(!RawAttempt.handshakeCompleted(socketError: EHOSTUNREACH))
        #expect(!RawAttempt.handshakeCompleted(socketError: ETIMEDOUT))
    }

    @Test func resetAfterTheHandshakeIsOpen() {
        var tcp = check
        tcp.proto = .tcp
        var raw = RawAttempt()
        raw.tcpConnected = true
        raw.resetAfterConnect = true
        raw.connectTime = 0.0021
        let (observed, reason) = Classifier.observation(raw, check: tcp)
        #expect(observed == .open)
        #expect(reason.contains("the server reset the connection right after"), "\(reason)")
    }

    @Test func timeoutsByPhase() {
        var raw = RawAttempt()
        raw.curlCode = 28
        #expect(Classifier.observation(raw, check: check).0 == .filtered)
        raw.tcpConnected = true
        #expect(Classifier.observation(raw, check: check).0 == .tlsFailed)
        raw.appConnectTime = 0.01
        #expect(Classifier.observation(raw, check: check).0 == .httpError)
    }

    @Test func proxyAnswers() {
        var proxied = check
        proxied.settings.proxy = ProxySetting.url("http://proxy.test:3128")
        var raw = RawAttempt()
        raw.tcpConnected = true
        raw.curlCode = 56
        raw.proxyConnectCode = 407
        #expect(Classifier.observation(raw, check: proxied).0 == .proxyAuthRequired)
        raw.proxyConnectCode = 403
        #expect(Classifier.observation(raw, check: proxied).0 == .proxyDenied)
        raw.proxyConnectCode = 502
        #expect(Classifier.observation(raw, check: proxied).0 == .proxyFailed)
        raw = RawAttempt()
        raw.curlCode = 7
        raw.osErrno = ECONNREFUSED
        #expect(Classifier.observation(raw, check: proxied).0 == .proxyUnreachable)
    }
}
