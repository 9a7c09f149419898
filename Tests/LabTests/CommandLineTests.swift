import Foundation
import NLSProbeCore
import NLSReporting
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The nlsprobe executable end to end on loopback: exit statuses, reports, Ctrl-C. Needs no root.
@Suite struct CommandLineTests {
    /// A scratch folder of this test's own, removed with it.
    let scratch: TemporaryFolder
    var folder: URL { scratch.url }

    init() throws { scratch = try TemporaryFolder() }

    func write(_ text: String, _ name: String) throws -> String { try scratch.write(text, name) }

    func reports(in directory: String, ending: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(ending) }
            .map { directory + "/" + $0 }
    }

    func profile(host: String, port: Int, proto: String = "tcp", expect: String = "allow", tlsTimeout: String = "2s")
        -> String
    {
        """
        profile: cli-test
        title: command line test
        sources:
          here: {}
        destinations:
          target:
            hosts: [\(host)]
        flows:
          - {port: \(port), protocol: \(proto), direction: egress, from: here, to: target, expect: \(expect)}
        defaults:
          connect_timeout: 1s
          tls_timeout: \(tlsTimeout)
          attempts: 1
        """
    }

    @Test func unresolvableNameFailsWithBothReports() throws {
        let path = try write(profile(host: "nls.example.invalid", port: 443, proto: "tls"), "dns.yaml")
        let output = folder.appendingPathComponent("out").path
        let result = try run([nlsprobeExecutable, "run", path, "--output", output], allowFailure: true)
        #expect(result.status == 1, "\(result.output)")
        let json = try #require(reports(in: output, ending: ".json").first)
        let report = try JSONReport.read(path: json)
        #expect(report.checks.map(\.observed) == [.dnsFailed])
        #expect(report.summary.verdict == .fail)
        let markdown = try String(
            contentsOfFile: try #require(reports(in: output, ending: ".md").first), encoding: .utf8)
        #expect(markdown.hasPrefix("# nlsprobe: cli-test, FAIL"))
        // `report` renders the same Markdown again from the JSON.
        let again = try run([nlsprobeExecutable, "report", json, "--format", "md"])
        #expect(again.output == markdown)
    }

    @Test func blockedPathPassesWithExitZero() throws {
        let path = try write(profile(host: "127.0.0.1", port: 9, expect: "block"), "block.yaml")
        let output = folder.appendingPathComponent("out").path
        let result = try run([nlsprobeExecutable, "run", path, "--output", output, "--quiet"], allowFailure: true)
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("PASS: 1 checks, 1 passed"))
    }

    @Test func invalidProfileExits64WithItsLocation() throws {
        let path = try write(profile(host: "127.0.0.1", port: 70000), "bad.yaml")
        let result = try run([nlsprobeExecutable, "validate", path], allowFailure: true)
        #expect(result.status == 64)
        #expect(result.output.contains("\(path):9:12: port 70000 is out of range"), "\(result.output)")
        let unknown = try run([nlsprobeExecutable, "run", "no-such-profile"], allowFailure: true)
        #expect(unknown.status == 64)
        #expect(
            unknown.output.contains("no built-in profile of that name (built-in: cls, dls, dls-ha)"),
            "\(unknown.output)")
    }

    @Test func credentialsInAProxyURLAreRefused() throws {
        let path = try write(profile(host: "127.0.0.1", port: 9), "proxy.yaml")
        let result = try run(
            [nlsprobeExecutable, "run", path, "--proxy", "http://user:secret@127.0.0.1:3128"], allowFailure: true)
        #expect(result.status == 64)
        #expect(!result.output.contains("secret"), "the password was echoed: \(result.output)")
        #expect(result.output.contains("--proxy holds credentials"))
    }

    /// Ctrl-C ends the run within a second and still writes the report, unfinished checks inconclusive.
    @Test func interruptKeepsWhatWasMeasured() throws {
        // A listening socket that never accepts: the kernel completes the TCP handshake, nobody answers TLS.
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) }
        }
        listen(listener, 16)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        let port = Int(UInt16(bigEndian: address.sin_port))
        let path = try write(profile(host: "127.0.0.1", port: port, proto: "tls", tlsTimeout: "60s"), "slow.yaml")
        let output = folder.appendingPathComponent("out").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: nlsprobeExecutable)
        process.arguments = ["run", path, "--output", output]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Ready when the check's TCP handshake is done (a connection waits in the listener's queue):
        // the run is probing, so its signal handler is in place. Bounded at 20 s.
        var poller = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
        #expect(poll(&poller, 1, 20_000) == 1, "the check never connected")
        let sent = Date()
        kill(process.processIdentifier, SIGINT)
        let status = ChildProcess.waitForExit(process, timeout: 3)
        let took = Date().timeIntervalSince(sent)
        ChildProcess.stop(process, grace: 0)
        #expect(took < 1.5, "ended \(took) s after Ctrl-C")
        #expect(status == 2)
        let report = try JSONReport.read(path: try #require(reports(in: output, ending: ".json").first))
        #expect(report.run.interrupted)
        #expect(report.checks.first?.reason == "interrupted before the check finished")
        #expect(report.checks.first?.verdict == .inconclusive)
    }

    /// A server whose Date header is ten minutes ahead: the skew is recorded and flagged.
    @Test func clockSkewIsFlagged() throws {
        let port = freePort()
        let script = """
            import email.utils, http.server, sys, time
            class Handler(http.server.BaseHTTPRequestHandler):
                def date_time_string(self, timestamp=None):
                    return email.utils.formatdate(time.time() + 600, usegmt=True)
                def do_GET(self):
                    self.send_response(200)
                    self.send_header("Content-Length", "2")
                    self.end_headers()
                    self.wfile.write(b"ok")
                def log_message(self, *args):
                    pass
            http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
            """
        let server = try BackgroundProcess(["python3", "-c", script, "\(port)"], port: port, in: folder)
        defer { server.stop() }
        let path = try write(profile(host: "127.0.0.1", port: Int(port), proto: "http"), "skew.yaml")
        let output = folder.appendingPathComponent("skew").path
        let result = try run([nlsprobeExecutable, "run", path, "--output", output], allowFailure: true)
        #expect(result.status == 0, "\(result.output)")
        let report = try JSONReport.read(path: try #require(reports(in: output, ending: ".json").first))
        let skew = try #require(report.checks.first?.evidence.http?.clockSkewS)
        #expect(abs(skew - 600) <= 3)
        let markdown = try String(
            contentsOfFile: try #require(reports(in: output, ending: ".md").first), encoding: .utf8)
        #expect(markdown.contains("## Clock skew"))
        #expect(markdown.contains("s ahead of this host's"))
        #expect(markdown.contains("Clock windback has been detected"))
    }

    /// diff and merge through the executable: exit 1 on a regression, 0 otherwise, 64 for reports
    /// that cannot be compared.
    @Test func diffAndMergeExitStatuses() throws {
        let golden = repositoryRoot.appendingPathComponent("Tests/NLSReportingTests/Golden/report.json").path
        var report = try JSONReport.read(path: golden)
        let before = try write(String(decoding: JSONReport.encode(report), as: UTF8.self), "before.json")
        report.checks[0].observed = .refused
        report.checks[0].verdict = .fail
        let after = try write(String(decoding: JSONReport.encode(report), as: UTF8.self), "after.json")
        let regression = try run([nlsprobeExecutable, "diff", before, after], allowFailure: true)
        #expect(regression.status == 1)
        #expect(regression.output.contains("| regression |"))
        let same = try run([nlsprobeExecutable, "diff", before, before, "--format", "json"], allowFailure: true)
        #expect(same.status == 0)
        // Five checks, four cells: the two addresses of api.cls.licensing.nvidia.com tls/443 are one cell.
        #expect(same.output.contains("\"unchanged\" : 4"))
        #expect(same.output.contains("\"outcome\" : \"no-regression\""))
        let other = try write("{\"schema\": \"nlsprobe/report/v2\"}", "other.json")
        let mismatch = try run([nlsprobeExecutable, "diff", before, other], allowFailure: true)
        #expect(mismatch.status == 64)
        #expect(mismatch.output.contains("report schema 'nlsprobe/report/v2' is not supported"))
        report.profile.name = "dls"
        let dls = try write(String(decoding: JSONReport.encode(report), as: UTF8.self), "dls.json")
        #expect(try run([nlsprobeExecutable, "diff", before, dls], allowFailure: true).status == 64)
        #expect(
            try run([nlsprobeExecutable, "diff", before, dls, "--allow-profile-change"], allowFailure: true).status == 1
        )
        let merged = try run(
            [
                nlsprobeExecutable, "merge", before, after, "--output", folder.appendingPathComponent("merged").path,
                "--format", "json,md,junit,prom",
            ], allowFailure: true)
        #expect(merged.status == 1, "\(merged.output)")
        #expect(merged.output.contains("cls-merged-"))
        #expect(try run([nlsprobeExecutable, "merge", before, dls], allowFailure: true).status == 64)
    }
}
