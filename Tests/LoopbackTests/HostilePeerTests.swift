import Foundation
import NLSProbeCore
import NLSReporting
import TestSupport
import Testing

@testable import NLSProbeEngine

#if canImport(Glibc)
    import Glibc
#endif

/// One hostile peer and what a check against it must end as.
struct HostileCase: CustomStringConvertible, Sendable {
    /// The peer's mode (scripts/hostile-peer.py).
    let mode: String
    let proto: FlowProtocol
    /// How the check reaches the peer: directly, or the peer is the proxy (`http`, `https`, `socks5`).
    let via: String
    let expected: Observed
    /// The check must end within this many seconds: its phase's budget and half a second for a
    /// loaded machine (the budgets of the phases before it would be at least a second more).
    let within: Double
    /// Words the reason must hold.
    let reasonHas: String

    init(
        _ mode: String, _ proto: FlowProtocol, via: String = "direct", _ expected: Observed, within: Double,
        _ reasonHas: String
    ) {
        self.mode = mode
        self.proto = proto
        self.via = via
        self.expected = expected
        self.within = within
        self.reasonHas = reasonHas
    }

    var description: String { "\(proto.rawValue) via \(via) against \(mode)" }
}

/// Every protocol and proxy mode against servers and proxies that tarpit, drip, flood, send garbage
/// or alerts, reset, refuse with their own pages and put escape sequences in headers. Each check ends
/// within its own phase's budget (connect 2 s, TLS 1 s, request 1 s), with the class that names the
/// component that misbehaved, nothing a peer sent reaches the terminal, Markdown or JUnit raw, and
/// the whole run stays within a bound on memory.
@Suite(.serialized)
struct HostilePeerTests {
    /// Budgets chosen apart, so that a phase bounded by another's budget shows.
    static let defaults = "connect_timeout: 2s\ntls_timeout: 1s\nrequest_timeout: 1s"

    static let cases: [HostileCase] = [
        // Direct: the destination misbehaves.
        HostileCase("tarpit", .tcp, .open, within: 1.0, "TCP connected"),
        HostileCase("tarpit", .tls, .tlsFailed, within: 2.0, "did not complete within 1.0 s"),
        HostileCase("tls-drip", .tls, .tlsFailed, within: 2.0, "did not complete within 1.0 s"),
        HostileCase("garbage", .tls, .tlsFailed, within: 2.0, "did not answer with TLS"),
        HostileCase("alert", .tls, .tlsFailed, within: 2.0, "alert"),
        HostileCase("reset", .tls, .tlsFailed, within: 2.0, "reset"),
        HostileCase("tls+tarpit", .https, .httpError, within: 2.1, "within 1.0 s"),
        HostileCase("tls+drip", .https, .httpError, within: 2.1, "within 1.0 s"),
        HostileCase("tls+flood", .https, .httpError, within: 2.1, "header"),
        HostileCase("tarpit", .http, .httpError, within: 2.0, "within 1.0 s"),
        HostileCase("drip", .http, .httpError, within: 2.0, "within 1.0 s"),
        HostileCase("garbage", .http, .httpError, within: 2.0, "no valid HTTP response"),
        HostileCase("flood", .http, .httpError, within: 2.0, "more HTTP header bytes than libcurl accepts"),
        HostileCase("hugeline", .http, .httpError, within: 2.0, "longer than libcurl accepts"),
        HostileCase("reset", .http, .httpError, within: 2.0, ""),
        HostileCase("status:502:haproxy", .http, .open, within: 2.0, "HTTP 502"),
        // An HTTP proxy misbehaves, for a tunnel (tcp, tls, https) and for plain HTTP.
        HostileCase("tarpit", .tls, via: "http", .proxyFailed, within: 3.0, "did not answer CONNECT"),
        HostileCase("tarpit", .tcp, via: "http", .proxyFailed, within: 3.0, "did not answer CONNECT"),
        HostileCase("drip", .tls, via: "http", .proxyFailed, within: 3.0, "did not answer CONNECT"),
        HostileCase("garbage", .tls, via: "http", .proxyFailed, within: 2.0, "did not answer CONNECT"),
        HostileCase("garbage", .tcp, via: "http", .proxyFailed, within: 2.0, "did not answer CONNECT"),
        HostileCase("garbage", .https, via: "http", .proxyFailed, within: 2.0, "did not answer CONNECT"),
        HostileCase("flood", .tls, via: "http", .proxyFailed, within: 3.0, "did not answer CONNECT"),
        HostileCase("hugeline", .tls, via: "http", .proxyFailed, within: 2.0, "did not answer CONNECT"),
        HostileCase("reset", .tls, via: "http", .proxyFailed, within: 2.0, ""),
        HostileCase("status:502:haproxy", .tls, via: "http", .proxyFailed, within: 2.0, "Server: haproxy"),
        HostileCase("status:403:mwg", .tls, via: "http", .proxyDenied, within: 2.0, "Server: mwg"),
        HostileCase("status:407", .tls, via: "http", .proxyAuthRequired, within: 2.0, "407"),
        HostileCase("escape", .tls, via: "http", .proxyDenied, within: 2.0, "403"),
        HostileCase("connect-ok-then:tarpit", .tls, via: "http", .tlsFailed, within: 2.1, "within 1.0 s"),
        HostileCase("connect-ok-then:garbage", .tls, via: "http", .tlsFailed, within: 2.0, "TLS"),
        HostileCase("connect-ok-then:alert", .tls, via: "http", .tlsFailed, within: 2.0, "alert"),
        HostileCase("status:502:haproxy", .http, via: "http", .proxyFailed, within: 2.0, "could not reach"),
        HostileCase("status:403:mwg", .http, via: "http", .proxyDenied, within: 2.0, "no Via header"),
        HostileCase("status:407", .http, via: "http", .proxyAuthRequired, within: 2.0, "407"),
        HostileCase("escape", .http, via: "http", .proxyDenied, within: 2.0, "403"),
        HostileCase("status:302:mwg", .http, via: "http", .proxyUnverified, within: 2.0, "no Via header"),
        HostileCase("status:200:mwg", .http, via: "http", .proxyUnverified, within: 2.0, "nothing proves"),
        HostileCase("status:403:squid:1.1 proxy (squid)", .http, via: "http", .proxyDenied, within: 2.0, "403"),
        HostileCase("status:404:origin:1.1 proxy (squid)", .http, via: "http", .open, within: 2.0, "HTTP 404"),
        HostileCase("tarpit", .http, via: "http", .proxyFailed, within: 2.0, "no complete answer"),
        HostileCase("garbage", .http, via: "http", .proxyFailed, within: 2.0, "no valid HTTP answer"),
        // An HTTPS proxy (TLS to the proxy).
        HostileCase("tls+tarpit", .tls, via: "https", .proxyFailed, within: 4.0, "did not answer CONNECT"),
        HostileCase("tls+status:502:haproxy", .tls, via: "https", .proxyFailed, within: 2.0, "could not reach"),
        HostileCase("garbage", .tls, via: "https", .proxyUnreachable, within: 2.0, "TLS connection to the proxy"),
        // A SOCKS proxy.
        HostileCase("tarpit", .tls, via: "socks5", .proxyFailed, within: 4.0, "SOCKS"),
        HostileCase("garbage", .tls, via: "socks5", .proxyFailed, within: 2.0, "SOCKS"),
        HostileCase("tarpit", .tcp, via: "socks5", .proxyFailed, within: 3.0, "SOCKS"),
        HostileCase("socks-ok-then:alert", .tls, via: "socks5", .tlsFailed, within: 2.0, "alert"),
        HostileCase("socks-ok-then:tarpit", .tcp, via: "socks5", .open, within: 2.0, "TCP connected"),
    ]

    @Test func everyCaseEndsInItsOwnBudgetWithTheRightClass() async throws {
        let (folder, certificates) = try TestCertificates.shared.get()
        _ = folder
        let modes = Self.cases.map(\.mode)
        let peers = try HostilePeers(
            modes, certificate: certificates.path("good.pem"), key: certificates.path("server.key"))
        defer { peers.stop() }
        // Proxied checks go to a port where nothing listens: only the proxy can make them pass.
        let closed = freePort()
        var flows: [String] = []
        for (index, item) in Self.cases.enumerated() {
            let port = peers.ports[index]
            switch item.via {
            case "direct":
                flows.append("port: \(port), protocol: \(item.proto.rawValue), tls: {verify: false}")
            case "https":
                flows.append(
                    "port: \(closed), protocol: \(item.proto.rawValue), tls: {ca_file: \"\(certificates.caFile)\"}, "
                        + "proxy: \"https://localhost:\(port)\"")
            default:
                flows.append(
                    "port: \(closed), protocol: \(item.proto.rawValue), tls: {verify: false}, "
                        + "proxy: \"\(item.via)://127.0.0.1:\(port)\"")
            }
        }
        // The peak is measured for this run alone: reset it, then read it back (VmHWM).
        let before = Self.residentMB(resettingPeak: true)
        let started = Date()
        let report = try await runProfile(manyFlowsProfile(flows, defaults: Self.defaults))
        let wall = Date().timeIntervalSince(started)
        #expect(report.checks.count == Self.cases.count)
        for (index, item) in Self.cases.enumerated() {
            guard let check = report.checks.first(where: { $0.flow.index == index }) else {
                Issue.record("\(item): no check")
                continue
            }
            #expect(check.observed == item.expected, "\(item): \(check.observed?.rawValue ?? "-"): \(check.reason)")
            let seconds = check.timingsMs.total / 1000
            #expect(seconds <= item.within, "\(item): took \(seconds) s, bound \(item.within) s: \(check.reason)")
            #expect(item.reasonHas.isEmpty || check.reason.contains(item.reasonHas), "\(item): \(check.reason)")
            #expect(check.verdict != .pass || item.expected == .open, "\(item): a false pass")
        }
        // What reaches the terminal and the ticket: nothing a peer sent gets there raw.
        let rendered = [
            ("terminal", TerminalReport(color: false, quiet: false).render(report, paths: [])),
            ("markdown", MarkdownReport.render(report)), ("junit", JUnitReport.render(report)),
        ]
        for (name, text) in rendered {
            let raw = text.unicodeScalars.first { scalar in
                (scalar.value < 0x20 && scalar != "\n" && scalar != "\t") || (0x7F...0x9F).contains(scalar.value)
            }
            #expect(raw == nil, "\(name) holds U+\(String(raw?.value ?? 0, radix: 16)) from a peer")
        }
        #expect(!MarkdownReport.render(report).contains("<b>bold</b>"), "the peer's HTML reached the Markdown")
        // Every check in flight at once: the run is bounded by its slowest budget, not their sum.
        #expect(wall < 8, "the run took \(wall) s")
        let peak = Self.residentMB(field: "VmHWM")
        #expect(peak > 0, "/proc/self/status has no VmHWM")
        #expect(peak - before < 200, "memory grew by \(peak - before) MB")
    }

    /// This process's resident size (`VmRSS`, or `field`) in MB, from /proc/self/status; with
    /// `resettingPeak`, the peak (`VmHWM`) is first set back to the current size (clear_refs 5),
    /// so a peak from an earlier test cannot hide this one's.
    static func residentMB(field: String = "VmRSS", resettingPeak: Bool = false) -> Double {
        if resettingPeak {
            try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
        }
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        for line in status.split(separator: "\n") where line.hasPrefix(field + ":") {
            let kilobytes = line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first
            return (kilobytes.flatMap { Double($0) } ?? 0) / 1024
        }
        return 0
    }
}
