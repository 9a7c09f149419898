import Foundation
import NLSProbeCore
import NLSReporting
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Hostile peers through the executable: what reaches the terminal and the reports, and a run under
/// a small open-file limit. Needs no root.
@Suite(.serialized) struct HostileCommandLineTests {
    /// A scratch folder of this test's own, removed with it.
    let scratch: TemporaryFolder
    var folder: URL { scratch.url }

    init() throws { scratch = try TemporaryFolder() }

    /// Runs the executable (through `prefix`, e.g. prlimit) with the lab's process helper:
    /// standard output and error together, bounded at 120 s.
    func nlsprobe(_ arguments: [String], prefix: [String] = []) throws -> (status: Int32, output: String) {
        try run(prefix + [nlsprobeExecutable] + arguments, allowFailure: true)
    }

    func profile(_ flows: [String]) throws -> String {
        let text = """
            profile: hostile
            title: hostile peers
            sources:
              here: {}
            destinations:
              target:
                hosts: [127.0.0.1]
            flows:
            \(flows.map { "  - {\($0), direction: egress, from: here, to: target}" }.joined(separator: "\n"))
            defaults:
              connect_timeout: 2s
              tls_timeout: 1s
              request_timeout: 1s
              attempts: 1
            """
        return try scratch.write(text, "hostile.yaml")
    }

    /// A proxy whose refusal carries escape sequences, a table pipe and HTML in its headers: the
    /// terminal and the Markdown get them neutralised, the JSON keeps them exactly, and the check
    /// is the proxy's refusal, not a pass.
    @Test func escapeSequencesFromAPeerNeverReachTheTerminalRaw() throws {
        let peers = try HostilePeers(["escape", "escape"])
        defer { peers.stop() }
        let closed = freePort()
        let path = try profile([
            "port: \(closed), protocol: http, proxy: \"http://127.0.0.1:\(peers.ports[0])\"",
            "port: \(closed), protocol: tls, proxy: \"http://127.0.0.1:\(peers.ports[1])\"",
        ])
        let output = folder.appendingPathComponent("out").path
        let result = try nlsprobe(["run", path, "--output", output, "--format", "json,md,junit,prom", "-vv"])
        #expect(result.status == 1, "\(result.output)")
        for scalar: Unicode.Scalar in ["\u{1B}", "\u{07}", "\u{9B}", "\u{FFFD}"] {
            #expect(
                !result.output.unicodeScalars.contains(scalar),
                "U+\(String(scalar.value, radix: 16)) reached the terminal")
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: output)
        let json = try #require(files.first { $0.hasSuffix(".json") })
        let report = try JSONReport.read(path: output + "/" + json)
        #expect(report.checks.allSatisfy { $0.observed == .proxyDenied }, "\(report.checks.map(\.reason))")
        #expect(report.checks.contains { $0.evidence.proxy?.server?.contains("\u{1B}]0;owned\u{07}") == true })
        for name in files where !name.hasSuffix(".json") {
            let data = try Data(contentsOf: URL(fileURLWithPath: output + "/" + name))
            #expect(!data.contains(0x1B) && !data.contains(0x07), "\(name) holds a raw control character")
            let text = String(decoding: data, as: UTF8.self)
            #expect(!text.contains("<b>bold</b>"), "\(name) holds the peer's HTML raw")
        }
    }

    /// `ulimit -n 64` still leaves room for many checks in flight: ten TLS handshakes that each
    /// stall for their whole 1 s budget end in about a second, not ten.
    @Test func aSmallOpenFileLimitStillRunsChecksSideBySide() throws {
        let peers = try HostilePeers(Array(repeating: "tarpit", count: 10))
        defer { peers.stop() }
        let path = try profile(peers.ports.map { "port: \($0), protocol: tls" })
        let output = folder.appendingPathComponent("out-ulimit").path
        let started = Date()
        let result = try nlsprobe(["run", path, "--output", output], prefix: ["prlimit", "--nofile=64:64"])
        let took = Date().timeIntervalSince(started)
        #expect(result.status == 1, "\(result.output)")
        #expect(took < 4, "ten 1 s handshakes under ulimit -n 64 took \(took) s")
        let files = try FileManager.default.contentsOfDirectory(atPath: output)
        let json = try #require(files.first { $0.hasSuffix(".json") })
        let report = try JSONReport.read(path: output + "/" + json)
        #expect(report.checks.count == 10)
        #expect(report.checks.allSatisfy { $0.observed == .tlsFailed })
    }
}
