import Foundation
import NLSProbeCore
import NLSReporting
import TestSupport
import Testing

@testable import NLSProbeEngine

#if canImport(Glibc)
    import Glibc
#endif

enum ProxyLab {
    static var squidInstalled: Bool { FileManager.default.isExecutableFile(atPath: "/usr/sbin/squid") }
    static var socksInstalled: Bool { FileManager.default.isExecutableFile(atPath: "/usr/bin/microsocks") }
    static var canRun: Bool {
        ProcessInfo.processInfo.environment["CI"] == "true" || (squidInstalled && socksInstalled)
    }
}

/// Real proxies from Debian, started by the tests: squid (Basic auth, an ACL, ssl-bump) and microsocks.
@Suite(
    .serialized,
    .enabled(
        if: ProxyLab.canRun,
        "needs squid-openssl and microsocks (Debian): scripts/test.sh installs them"))
final class ProxyTests {
    let folder: TemporaryFolder
    let certificates: TestCertificates

    init() throws {
        (folder, certificates) = try TestCertificates.shared.get()
    }

    func run(
        _ yaml: String, credentials: String? = nil, override: SettingsOverride = SettingsOverride(),
        comparePaths: Bool = false
    ) async throws -> Report {
        let profile = try ProfileLoader().parse(yaml, file: "inline.yaml")
        let engine = try ProbeEngine(proxyCredentials: credentials)
        defer { engine.shutdown() }
        var options = RunOptions(override: override, localAddresses: [])
        options.comparePaths = comparePaths
        let plan = try await ProbeRunner.plan(profile, options: options)
        return await ProbeRunner(engine: engine, toolVersion: "test").run(plan)
    }

    func profile(port: UInt16, proto: String, proxy: String, tls: String = "") -> String {
        loopbackProfile(port: port, proto: proto, extra: tls.isEmpty ? "" : "tls: \(tls)")
            .replacingOccurrences(of: "  attempts: 1", with: "  attempts: 1\n  proxy: \(proxy)")
    }

    var credentials: String { "\(SquidProxy.user):\(SquidProxy.password)" }

    @Test func squidWithBasicAuthAndAnACL() async throws {
        let server = try TLSServer(
            certificate: certificates.path("good.pem"), key: certificates.path("server.key"), in: folder.url)
        defer { server.stop() }
        let denied = freePort()
        let squid = try SquidProxy(deniedPort: denied)
        defer { squid.stop() }
        let tls = "{ca_file: \(certificates.caFile)}"

        // Open through the proxy, with credentials; evidence names the proxy and what it said.
        let open = try await run(
            profile(port: server.port, proto: "tls", proxy: squid.url, tls: tls), credentials: credentials)
        let check = try #require(open.checks.first)
        #expect(check.observed == .open, "\(check.reason)\n\(squid.logs)")
        #expect(check.destination.address == nil, "the proxy resolves")
        #expect(check.proxy == squid.url)
        #expect(check.id.hasSuffix("via \(squid.url)"))
        #expect(check.evidence.proxy?.status == "200 Connection established")
        #expect(check.evidence.proxy?.address == "127.0.0.1:\(squid.port)")
        #expect(check.evidence.proxy?.credentialsSent == true)
        #expect(check.evidence.tls?.chain.first?.issuer == "CN=nlsprobe test CA")
        let tcp = try await run(profile(port: server.port, proto: "tcp", proxy: squid.url), credentials: credentials)
        #expect(tcp.checks.first?.observed == .open, "\(tcp.checks.first?.reason ?? "")")

        // 407 without credentials, and with wrong ones.
        let none = try #require(try await run(profile(port: server.port, proto: "tls", proxy: squid.url)).checks.first)
        #expect(none.observed == .proxyAuthRequired)
        #expect(
            none.reason.contains(
                "proxy \(squid.url) answered 407 Proxy Authentication Required (no credentials were sent)"))
        #expect(none.evidence.proxy?.authOffered == ["Basic"])
        let wrong = try #require(
            try await run(profile(port: server.port, proto: "tls", proxy: squid.url), credentials: "probe:wrong").checks
                .first)
        #expect(wrong.observed == .proxyAuthRequired)
        #expect(wrong.reason.contains("the credentials sent were refused"))

        // 403 for CONNECT to a denied port.
        let forbidden = try #require(
            try await run(profile(port: denied, proto: "tls", proxy: squid.url), credentials: credentials).checks.first)
        #expect(forbidden.observed == .proxyDenied, "\(forbidden.reason)")
        #expect(forbidden.evidence.proxy?.error?.hasPrefix("ERR_ACCESS_DENIED") == true)
        #expect(forbidden.evidence.proxy?.server?.hasPrefix("squid") == true)

        // 503 for a destination the proxy cannot reach.
        let unreachable = try #require(
            try await run(profile(port: freePort(), proto: "tls", proxy: squid.url), credentials: credentials).checks
                .first)
        #expect(unreachable.observed == .proxyFailed, "\(unreachable.reason)")
        #expect(unreachable.reason.contains("could not reach 127.0.0.1"))
        #expect(
            unreachable.evidence.proxy?.error?.hasPrefix("ERR_CONNECT_FAIL") == true,
            "\(String(describing: unreachable.evidence.proxy))")

        // Direct and through the proxy, side by side: a block expectation makes the contrast visible.
        let both = try await run(
            profile(port: server.port, proto: "tls", proxy: squid.url, tls: tls), credentials: credentials,
            comparePaths: true)
        #expect(both.checks.map(\.proxy) == [nil, squid.url])
        #expect(both.checks.allSatisfy { $0.observed == .open })
        #expect(MarkdownReport.render(both).contains("| via \(squid.url) |"))

        // The password appears nowhere: not in the reports, not in any reason.
        for report in [open, none.isEmptyReport, wrong.isEmptyReport, forbidden.isEmptyReport, both] {
            let json = String(decoding: JSONReport.encode(report), as: UTF8.self)
            #expect(!json.contains(SquidProxy.password))
            #expect(!MarkdownReport.render(report).contains(SquidProxy.password))
        }
    }

    @Test func nothingListensAtTheProxyAddress() async throws {
        let check = try #require(
            try await run(profile(port: 443, proto: "tls", proxy: "http://127.0.0.1:\(freePort())")).checks.first)
        #expect(check.observed == .proxyUnreachable)
        #expect(check.verdict == .fail)
        #expect(check.reason.contains("could not be reached"))
    }

    @Test func sslBumpIsIntercepted() async throws {
        let server = try TLSServer(
            certificate: certificates.path("good.pem"), key: certificates.path("server.key"), in: folder.url)
        defer { server.stop() }
        let bumpFolder = try TemporaryFolder()
        let status = try shell(
            [
                "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "bump.key", "-out", "bump.pem",
                "-days", "2", "-subj", "/CN=Corporate TLS Inspection CA",
            ], in: bumpFolder.url)
        try #require(status == 0)
        chmod(bumpFolder.url.path, 0o755)
        chmod(bumpFolder.url.appendingPathComponent("bump.key").path, 0o644)
        let squid = try SquidProxy(
            bump: (
                bumpFolder.url.appendingPathComponent("bump.pem").path,
                bumpFolder.url.appendingPathComponent("bump.key").path
            ))
        defer { squid.stop() }

        // Expected issuers set: the re-signed chain is tls-intercepted, with the presented issuer in the reason.
        let expected = "{ca_file: \(certificates.caFile), expected_issuers: [nlsprobe test CA]}"
        let intercepted = try #require(
            try await run(profile(port: server.port, proto: "tls", proxy: squid.url, tls: expected)).checks.first)
        #expect(intercepted.observed == .tlsIntercepted, "\(intercepted.reason)\n\(squid.logs)")
        #expect(intercepted.reason.contains("issued by CN=Corporate TLS Inspection CA"))
        #expect(Hints.hint(for: intercepted).contains("exempt it from TLS inspection"))

        // No issuers set and the inspection CA not trusted: tls-untrusted.
        let untrusted = try #require(
            try await run(
                profile(port: server.port, proto: "tls", proxy: squid.url, tls: "{ca_file: \(certificates.caFile)}")
            )
            .checks.first)
        #expect(untrusted.observed == .tlsUntrusted, "\(untrusted.reason)")

        // The real chain, direct, matches the expected issuer (by name, and by SHA-256 pin of the leaf).
        let direct = try #require(
            try await run(profile(port: server.port, proto: "tls", proxy: "direct", tls: expected)).checks.first)
        #expect(direct.observed == .open, "\(direct.reason)")
        let pin = try #require(direct.evidence.tls?.chain.first?.sha256)
        let pinned = try #require(
            try await run(
                profile(
                    port: server.port, proto: "tls", proxy: "direct",
                    tls: "{ca_file: \(certificates.caFile), expected_issuers: [\"\(pin)\"]}")
            ).checks.first)
        #expect(pinned.observed == .open, "\(pinned.reason)")
    }

    @Test func socks5OpenAndRefused() async throws {
        let server = try MisbehavingServer(.closeAtOnce)
        defer { server.stop() }
        let socks = try SocksProxy(in: folder.url)
        defer { socks.stop() }
        let open = try #require(try await run(profile(port: server.port, proto: "tcp", proxy: socks.url)).checks.first)
        #expect(open.observed == .open, "\(open.reason)")
        let refused = try #require(
            try await run(profile(port: freePort(), proto: "tcp", proxy: socks.url)).checks.first)
        #expect(refused.observed == .refused, "\(refused.reason)")
        #expect(refused.reason.contains("SOCKS proxy"))
        let socks5h = try #require(
            try await run(profile(port: server.port, proto: "tcp", proxy: "socks5h://127.0.0.1:\(socks.port)")).checks
                .first)
        #expect(socks5h.observed == .open, "\(socks5h.reason)")
    }
}

extension CheckRecord {
    /// A one-check report, for scanning a single check's rendering.
    var isEmptyReport: Report {
        Report(
            tool: ToolInfo(version: "test"), profile: ProfileInfo(name: "x", title: "x", reference: nil, digest: ""),
            run: RunInfo(started: "", finished: "", host: "", localSources: [], localAddresses: [], proxy: ""),
            flows: [], checks: [self])
    }
}
