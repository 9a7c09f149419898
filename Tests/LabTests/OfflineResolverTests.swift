import Foundation
import NLSProbeCore
import NLSReporting
import TestSupport
import Testing

/// A host with no network at all (a fresh network namespace: no route, loopback down): the
/// built-in `cls` profile, which traces failed checks, must say its resolvers could not be asked
/// and why, not that they answered something unreadable; `--no-trace` sends nothing but the checks.
@Suite(.serialized, .enabled(if: LabPrivilege.canRun, LabPrivilege.skipReason))
struct OfflineResolverTests {
    /// Runs the built-in `cls` profile in a new network namespace and reads its JSON report.
    func offlineRun(_ extra: [String] = []) throws -> Report {
        let tag = String(UUID().uuidString.prefix(6)).lowercased()
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("nlsprobe-offline-\(tag)").path
        defer { try? FileManager.default.removeItem(atPath: output) }
        let result = try run(
            ["unshare", "--net", nlsprobeExecutable, "run", "cls"] + extra + [
                "--output", output, "--format", "json", "--quiet",
            ], allowFailure: true)
        #expect(result.status == 1, "\(result.output)")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: output)) ?? []
        let json = try #require(files.first { $0.hasSuffix(".json") }, "no report: \(result.output)")
        let report = try JSONReport.read(path: output + "/" + json)
        #expect(!report.checks.isEmpty)
        return report
    }

    @Test func resolversThatCannotBeReachedAreNamedSo() throws {
        for check in try offlineRun().checks {
            #expect(check.observed == .dnsFailed, "\(check.id): \(check.reason)")
            let dns = try #require(check.evidence.dns, "\(check.id) has no resolver diagnosis")
            #expect(!dns.queries.isEmpty)
            for query in dns.queries {
                #expect(query.answer == .notSent, "\(query.server) \(query.family): \(query.answer)")
                #expect(query.error?.contains("network is unreachable") == true, "\(query.error ?? "no reason")")
            }
            #expect(dns.summary.contains("could not be asked: network is unreachable"), "\(dns.summary)")
            #expect(!dns.summary.contains("unreadable"), "\(dns.summary)")
        }
    }

    @Test func noTraceSendsNothingButTheChecks() throws {
        for check in try offlineRun(["--no-trace"]).checks {
            #expect(check.observed == .dnsFailed && check.evidence.dns == nil, "\(check.id): \(check.reason)")
        }
    }
}
