import Foundation
import NLSProbeCore
import NLSProbeEngine
import TestSupport
import Testing

/// libcurl (with the OpenSSL it uses) is loaded only when a check needs it: a run of direct tcp
/// checks starts without it; a tls check loads it, before anything is sent from the binary, or at
/// the first such check on an engine started without it. The dynamic loader's own log
/// (LD_DEBUG=libs) says what was loaded.
@Suite(.serialized) struct LibcurlLoadingTests {
    let folder: TemporaryFolder
    let certificates: TestCertificates

    init() throws {
        (folder, certificates) = try TestCertificates.shared.get()
    }

    /// Runs the binary on `profile` with the loader's log on; its output and that log.
    func run(_ profile: String, name: String) throws -> ChildProcess.Result {
        let path = try folder.write(profile, name)
        return try ChildProcess.run(
            [
                "LD_DEBUG=libs", nlsprobeExecutable, "run", path, "--ca-file", certificates.caFile,
                "--no-trace", "--output", folder.url.appendingPathComponent("out-\(name)").path, "--format", "json",
            ], allowFailure: true, timeout: 60)
    }

    @Test func aRunOfTCPChecksNeverLoadsLibcurl() throws {
        let listener = try LoopbackListener(backlog: 16)
        let result = try run(loopbackProfile(port: listener.port, proto: "tcp"), name: "tcp-only.yaml")
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("PASS: 1 checks"))
        #expect(!result.output.contains("libcurl.so.4"), "libcurl was loaded for a tcp check")
        #expect(!result.output.contains("libssl.so"), "OpenSSL was loaded for a tcp check")
    }

    @Test func aRunWithATLSCheckLoadsLibcurlBeforeItStarts() throws {
        let server = try TLSServer(
            certificate: certificates.path("good.pem"), key: certificates.path("server.key"), in: folder.url)
        defer { server.stop() }
        let result = try run(loopbackProfile(host: "localhost", port: server.port, proto: "tls"), name: "tls.yaml")
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("find library=libcurl.so.4"))
    }

    @Test func anEngineStartedWithoutLibcurlLoadsItAtTheFirstCheckThatNeedsIt() async throws {
        let server = try TLSServer(
            certificate: certificates.path("good.pem"), key: certificates.path("server.key"), in: folder.url)
        defer { server.stop() }
        let profile = try ProfileLoader().parse(
            loopbackProfile(
                host: "localhost", port: server.port, proto: "tls", extra: "tls: {ca_file: \(certificates.caFile)}"),
            file: "inline.yaml")
        let engine = try ProbeEngine(loadLibcurl: false)
        defer { engine.shutdown() }
        let plan = try await ProbeRunner.plan(profile, options: RunOptions(localAddresses: []))
        let report = await ProbeRunner(engine: engine, toolVersion: "test").run(plan)
        let check = try #require(report.checks.first)
        #expect(check.verdict == .pass, "\(check.reason)")
        #expect(check.observed == .open)
    }
}
