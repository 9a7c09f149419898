import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `nlsprobe serve`, the built binary, against real servers on loopback: a TLS server (openssl
/// s_server), a refused port, a listener that counts the probes it gets, a server that accepts
/// and stays silent (a run that takes its time). Readiness is polled, never slept for.
@Suite(.serialized) struct ServeProcessTests {
    let folder: TemporaryFolder
    let certificates: TestCertificates

    init() throws {
        (folder, certificates) = try TestCertificates.shared.get()
    }

    /// A profile of the given flows (`port protocol`), every one expected open.
    func profile(_ name: String, _ flows: [(UInt16, String)], tlsTimeout: String = "2s") throws -> String {
        let lines = flows.map { port, proto in
            "  - {port: \(port), protocol: \(proto), direction: egress, from: local, to: server, expect: allow}"
        }
        return try folder.write(
            """
            profile: \(name)
            title: nlsprobe serve test
            sources:
              local: {}
            destinations:
              server:
                hosts: [localhost]
            flows:
            \(lines.joined(separator: "\n"))
            defaults:
              connect_timeout: 1s
              tls_timeout: \(tlsTimeout)
              request_timeout: 2s
              attempts: 1
            """, "\(name)-\(UUID().uuidString).yaml")
    }

    @Test func servesScrapesReportsAndStopsCleanly() throws {
        let tls = try TLSServer(
            certificate: certificates.path("good.pem"), key: certificates.path("server.key"), in: folder.url)
        defer { tls.stop() }
        let counting = try CountingServer()
        defer { counting.stop() }
        let silent = try MisbehavingServer(.silent)
        defer { silent.stop() }
        let refused = freePort()
        let profile = try profile(
            "serve-test", [(tls.port, "tls"), (refused, "tcp"), (counting.port, "tcp"), (silent.port, "tls")],
            tlsTimeout: "1500ms")
        let output = folder.url.appendingPathComponent("serve-reports-\(UUID().uuidString)").path
        let serve = try ServeProcess(
            [profile, "--ca-file", certificates.caFile, "--interval", "1h", "--jitter", "0", "--output", output],
            in: folder.url)
        defer { serve.stop() }
        #expect(serve.waitHealthy(), "serve did not answer /healthz: \(serve.output)")

        // While the first run goes on (the silent server holds it for 1.5 s): not ready, in progress.
        var duringRun: String?
        let ready = Wait.until(timeout: 30, interval: 0.02) {
            let readyz = serve.get("/readyz")
            if readyz.status == 200 { return true }
            if duringRun == nil && readyz.status == 503 {
                let metrics = serve.get("/metrics").body
                if ServeProcess.value(of: "nlsprobe_serve_run_in_progress", in: metrics) == 1 { duringRun = metrics }
            }
            return !serve.isRunning
        }
        #expect(ready && serve.isRunning, "not ready: \(serve.output)")
        let during = try #require(duringRun, "no scrape saw the run in progress")
        try Checkers.promtoolCheckMetrics(during, in: folder)
        #expect(ServeProcess.value(of: "nlsprobe_serve_ready", in: during) == 0)
        #expect(!during.contains("nlsprobe_check_success{"), "no report before the first run ends")

        // After: the run's metrics, valid, with the verdicts of the servers.
        let metrics = serve.get("/metrics")
        #expect(metrics.status == 200)
        try Checkers.promtoolCheckMetrics(metrics.body, in: folder)
        let tlsLine = metrics.body.split(separator: "\n").first {
            $0.hasPrefix("nlsprobe_check_success{") && $0.contains("port=\"\(tls.port)\"")
        }
        #expect(tlsLine?.hasSuffix(" 1") == true, "\(metrics.body)")
        let refusedLine = metrics.body.split(separator: "\n").first {
            $0.hasPrefix("nlsprobe_check_success{") && $0.contains("port=\"\(refused)\"")
        }
        #expect(refusedLine?.contains("observed=\"refused\"") == true && refusedLine?.hasSuffix(" 0") == true)
        #expect(ServeProcess.value(of: "nlsprobe_serve_runs_total{result=\"complete\"}", in: metrics.body) == 1)
        try Checkers.deploymentMetricsExist(in: metrics.body)
        #expect(ServeProcess.value(of: "nlsprobe_serve_checks_total{profile=\"serve-test\"}", in: metrics.body) == 4)

        // The reports: the JSON one valid against the schema, the Markdown one of this profile.
        let json = serve.get("/report.json")
        #expect(json.status == 200)
        try Checkers.validateReport(json.body, in: folder)
        #expect(serve.get("/report.json?profile=serve-test").body == json.body)
        #expect(serve.get("/report.json?profile=nope").status == 404)
        let markdown = serve.get("/report.md")
        #expect(markdown.status == 200 && markdown.body.contains("serve-test"))

        // 500 scrapes at once: not one probe more.
        let probes = counting.counts.accepted
        #expect(probes == 1)
        let scrapesBefore = serve.metric("nlsprobe_serve_http_requests_total{route=\"/metrics\"}") ?? -1
        let storm = try ChildProcess.run(
            [
                "curl", "-s", "--no-progress-meter", "--parallel", "--parallel-immediate", "--parallel-max", "250",
                "--max-time", "20",
                "-o", "/dev/null", "-w", "%{http_code}\\n", "http://127.0.0.1:\(serve.port)/metrics?scrape=[1-500]",
            ], allowFailure: true, timeout: 60)
        let codes = storm.output.split(separator: "\n")
        #expect(codes.count == 500 && codes.allSatisfy { $0 == "200" }, "\(storm.output.prefix(400))")
        let after = serve.get("/metrics").body
        #expect(
            ServeProcess.value(of: "nlsprobe_serve_http_requests_total{route=\"/metrics\"}", in: after)
                == scrapesBefore + 501)
        #expect(ServeProcess.value(of: "nlsprobe_serve_runs_total{result=\"complete\"}", in: after) == 1)
        #expect(ServeProcess.value(of: "nlsprobe_serve_checks_total{profile=\"serve-test\"}", in: after) == 4)
        #expect(counting.counts.accepted == probes)

        // Bad requests and a slow client: answered or dropped, never a probe, never a lost endpoint.
        for garbage in [
            "BLAH\r\n\r\n", "GET /metrics HTTP/9.9\r\n\r\n",
            "GET \(String(repeating: "a", count: 100_000)) HTTP/1.1\r\n\r\n",
            "\u{0}\u{1}\u{2}\u{3}\r\n\r\n",
        ] {
            let client = try #require(LoopbackClient(port: serve.port))
            client.send(garbage)
            let answer = client.receive(timeout: 3)
            #expect(!answer.hasPrefix("HTTP/1.1 200"), "\(answer.prefix(200))")
        }
        for method in ["POST", "PUT", "DELETE"] {
            let result = try ChildProcess.run(
                [
                    "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-X", method,
                    "http://127.0.0.1:\(serve.port)/metrics",
                ], allowFailure: true)
            #expect(result.output != "200", "\(method) /metrics answered 200")
        }
        #expect(serve.get("/../../etc/passwd").status == 404)
        let slow = try #require(LoopbackClient(port: serve.port))
        slow.send("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        #expect(serve.get("/healthz", timeout: 3).status == 200)
        #expect(serve.get("/readyz", timeout: 3).status == 200)
        let calm = serve.get("/metrics").body
        #expect(ServeProcess.value(of: "nlsprobe_serve_runs_total{result=\"complete\"}", in: calm) == 1)
        #expect((ServeProcess.value(of: "nlsprobe_serve_http_requests_total{route=\"other\"}", in: calm) ?? 0) >= 4)
        #expect(counting.counts.accepted == probes)

        // SIGTERM: a clean exit, the last complete report kept in --output.
        #expect(serve.terminate() == 0, "\(serve.output)")
        let files = try FileManager.default.contentsOfDirectory(atPath: output)
        let reports = files.filter { $0.hasSuffix(".json") }
        #expect(reports.count == 1 && files.contains { $0.hasSuffix(".md") }, "\(files)")
        if let report = reports.first {
            let text = try String(contentsOfFile: "\(output)/\(report)", encoding: .utf8)
            try Checkers.validateReport(text, in: folder)
        }
        #expect(serve.output.contains("run 1: serve-test fail"), "\(serve.output)")
        #expect(serve.output.contains("SIGTERM received; stopping"), "\(serve.output)")
    }

    @Test func runsOnScheduleNeverTwoAtOnce() throws {
        let tls = try TLSServer(
            certificate: certificates.path("good.pem"), key: certificates.path("server.key"), in: folder.url)
        defer { tls.stop() }
        let counting = try CountingServer()
        defer { counting.stop() }
        let profile = try profile("schedule-test", [(tls.port, "tls"), (counting.port, "tcp")])
        let output = folder.url.appendingPathComponent("schedule-reports-\(UUID().uuidString)").path
        let serve = try ServeProcess(
            [profile, "--ca-file", certificates.caFile, "--interval", "1s", "--jitter", "0", "--output", output],
            in: folder.url)
        defer { serve.stop() }
        #expect(serve.waitHealthy(), "\(serve.output)")
        let threeRuns = Wait.until(timeout: 30, interval: 0.05) {
            (serve.metric("nlsprobe_serve_runs_total{result=\"complete\"}") ?? 0) >= 3 || !serve.isRunning
        }
        #expect(threeRuns && serve.isRunning, "\(serve.output)")
        #expect(serve.terminate() == 0, "\(serve.output)")
        // One probe of the listener per run, each run its own reports (never one over another).
        let runs = serve.output.split(separator: "\n").filter { $0.contains(": schedule-test pass") }.count
        #expect(runs >= 3)
        #expect(counting.counts.accepted == runs, "\(serve.output)")
        let reports = try FileManager.default.contentsOfDirectory(atPath: output).filter { $0.hasSuffix(".json") }
        #expect(reports.count == runs)
    }

    @Test func sigtermCutsARunInProgress() throws {
        let silent = try MisbehavingServer(.silent)
        defer { silent.stop() }
        let profile = try profile("cut-test", [(silent.port, "tls")], tlsTimeout: "60s")
        let serve = try ServeProcess([profile, "--interval", "1h"], in: folder.url)
        defer { serve.stop() }
        #expect(serve.waitHealthy(), "\(serve.output)")
        let inProgress = Wait.until(timeout: 10, interval: 0.02) {
            serve.metric("nlsprobe_serve_run_in_progress") == 1 || !serve.isRunning
        }
        #expect(inProgress, "\(serve.output)")
        #expect(serve.get("/readyz").status == 503)
        #expect(serve.get("/report.json").status == 503)
        let clock = ContinuousClock()
        let start = clock.now
        #expect(serve.terminate(timeout: 15) == 0, "\(serve.output)")
        #expect(clock.now - start < .seconds(10), "the run was not cut: \(serve.output)")
        #expect(serve.output.contains("run 1: interrupted"), "\(serve.output)")
    }

    @Test func refusesWhatItCannotServe() throws {
        let profile = try profile("refuse-test", [(freePort(), "tcp")])
        for (arguments, message) in [
            (["--interval", "0s"], "--interval"), (["--jitter", "1h"], "--jitter"),
            (["--capture"], "--output"),
        ] {
            let result = try ChildProcess.run(
                [ServeProcess.executable, "serve", profile, "--listen", "127.0.0.1:1"] + arguments, allowFailure: true,
                timeout: 30)
            #expect(result.status == 64 && result.output.contains(message), "\(arguments): \(result.output)")
        }
        let badListen = try ChildProcess.run(
            [ServeProcess.executable, "serve", profile, "--listen", "localhost:9623"], allowFailure: true)
        #expect(badListen.status == 64 && badListen.output.contains("ADDRESS:PORT"), "\(badListen.output)")
        // A port another program holds: exit 70 with a sentence, and not one probe sent.
        let counting = try CountingServer()
        defer { counting.stop() }
        let taken = try MisbehavingServer(.silent)
        defer { taken.stop() }
        let probed = try self.profile("taken-test", [(counting.port, "tcp")])
        let busy = try ChildProcess.run(
            [ServeProcess.executable, "serve", probed, "--listen", "127.0.0.1:\(taken.port)"], allowFailure: true,
            timeout: 30)
        #expect(busy.status == 70 && busy.output.contains("in use"), "\(busy.output)")
        #expect(counting.counts.accepted == 0)
    }
}
