import Foundation
import NLSProbeCore
import TestSupport
import Testing

@testable import NLSProbeEngine

#if canImport(Glibc)
    import Glibc
#endif

/// A real handshake with a peer that presents more than the engine records: a leaf whose subject is
/// longer than a name's room, behind eleven more certificates. What is left out is said, not lost.
@Suite(.serialized) final class CertificateChainTests {
    let folder: TemporaryFolder
    let certificates: TestCertificates

    init() throws {
        (folder, certificates) = try TestCertificates.shared.get()
    }

    /// One attempt of `check` on a fresh engine, as the loop reports it.
    func attempt(_ check: PlannedCheck) async throws -> (RawAttempt, AttemptOutcome) {
        let engine = try ProbeEngine()
        defer { engine.shutdown() }
        let raw = await withCheckedContinuation { continuation in
            engine.submit(check) { continuation.resume(returning: $0) }
        }
        return (raw, engine.settle(raw, check))
    }

    @Test func aLongChainIsRecordedInPartAndSaysSo() async throws {
        let units = (0..<10).map { "/OU=" + String(repeating: Character(String($0)), count: 60) }.joined()
        let made = try shell(
            [
                "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", "long.key", "-out", "long.pem", "-days", "1", "-subj", "/CN=localhost\(units)",
            ], in: certificates.folder)
        try #require(made == 0)
        let ca = try String(contentsOfFile: certificates.caFile, encoding: .utf8)
        let chain = try folder.write(String(repeating: ca, count: 11), "long-chain.pem")
        let port = freePort()
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        server.arguments = [
            "s_server", "-accept", "127.0.0.1:\(port)", "-cert", certificates.path("long.pem"), "-key",
            certificates.path("long.key"), "-cert_chain", chain, "-www", "-quiet",
        ]
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        server.standardInput = FileHandle.nullDevice
        try server.run()
        defer {
            server.terminate()
            for _ in 0..<100 where server.isRunning { usleep(20_000) }
            if server.isRunning { kill(server.processIdentifier, SIGKILL) }
        }
        try #require(waitForListener(port))

        var settings = CheckSettings()
        settings.connectTimeout = 2
        settings.tlsTimeout = 2
        let check = PlannedCheck(
            flowIndex: 0, port: Int(port), proto: .tls, sourceGroup: "local", sourceAddress: nil,
            destinationGroup: "target", host: "127.0.0.1", address: "127.0.0.1", expect: .allow, settings: settings)
        let (raw, outcome) = try await attempt(check)

        #expect(outcome.observed == .tlsUntrusted, "\(outcome.reason)")
        let recorded = try #require(outcome.evidence.tls?.chain)
        #expect(recorded.count == 10, "at most ten certificates are recorded")
        #expect(raw.chainOmitted == 2, "twelve presented, ten kept")
        #expect(raw.chainNamesCut)
        let leaf = try #require(recorded.first)
        // RFC 2253 writes the last name first: the units, then (cut off here) the common name.
        #expect(leaf.subject.hasPrefix("OU=" + String(repeating: "9", count: 60)), "\(leaf.subject)")
        #expect(leaf.subject.hasSuffix(PresentedChain.cutMarker), "a cut name says so")
        #expect(leaf.subject.utf8.count <= 511 + PresentedChain.cutMarker.utf8.count)
        #expect(leaf.sha256.count == 64)
        #expect(recorded.dropFirst().allSatisfy { $0.subject == "CN=nlsprobe test CA" })
    }

    @Test func anOrdinaryChainIsWhole() async throws {
        let server = try TLSServer(
            certificate: certificates.path("good.pem"), key: certificates.path("server.key"), in: folder.url)
        defer { server.stop() }
        var settings = CheckSettings()
        settings.tls.caFile = certificates.caFile
        let check = PlannedCheck(
            flowIndex: 0, port: Int(server.port), proto: .tls, sourceGroup: "local", sourceAddress: nil,
            destinationGroup: "target", host: "localhost", address: "127.0.0.1", expect: .allow, settings: settings)
        let (raw, outcome) = try await attempt(check)
        #expect(outcome.observed == .open, "\(outcome.reason)")
        #expect(raw.chainOmitted == 0)
        #expect(!raw.chainNamesCut)
        #expect(outcome.evidence.tls?.chain.first?.subject == "CN=localhost")
    }
}
