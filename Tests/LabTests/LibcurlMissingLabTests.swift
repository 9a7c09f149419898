import Foundation
import TestSupport
import Testing

/// A host without libcurl (hidden in the test's own mount namespace): direct tcp checks still run,
/// and a run that needs libcurl stops before sending anything, saying what to install.
@Suite(.serialized, .enabled(if: LabPrivilege.canRun, LabPrivilege.skipReason))
struct LibcurlMissingLabTests {
    @Test func withoutLibcurlTCPRunsAndTLSSaysWhatToInstall() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "nlsprobe-nocurl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        func profile(_ proto: String) throws -> String {
            let path = folder.appendingPathComponent("\(proto).yaml").path
            try """
            profile: no-libcurl-\(proto)
            title: a host without libcurl
            sources:
              here: {}
            destinations:
              lo:
                hosts: [127.0.0.1]
            flows:
              - {port: 9, protocol: \(proto), direction: egress, from: here, to: lo, expect: block}
            defaults:
              attempts: 1
              trace: off
            """.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
        func hidden(_ arguments: [String]) throws -> (status: Int32, output: String) {
            try runWithLibraryHidden("libcurl.so.4", arguments)
        }
        let tcpOutput = folder.appendingPathComponent("tcp-out").path
        let tcp = try hidden(["run", try profile("tcp"), "--output", tcpOutput])
        #expect(tcp.status == 0, "\(tcp.output)")
        #expect(!tcp.output.contains("could not be loaded"), "\(tcp.output)")

        let tlsOutput = folder.appendingPathComponent("tls-out").path
        let tls = try hidden(["run", try profile("tls"), "--output", tlsOutput])
        #expect(tls.status == 70, "\(tls.output)")
        #expect(tls.output.contains("libcurl could not be loaded (/"), "\(tls.output)")
        #expect(tls.output.contains("install libcurl4 (Debian, Ubuntu) or libcurl (RHEL)"), "\(tls.output)")
        // Stopped before anything was sent: no report.
        let written = (try? FileManager.default.contentsOfDirectory(atPath: tlsOutput)) ?? []
        #expect(written.allSatisfy { !$0.hasSuffix(".json") }, "\(written)")
    }
}
