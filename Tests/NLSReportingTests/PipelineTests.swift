import Foundation
import NLSProbeCore
import Testing

@testable import NLSReporting

/// A variant of the fixed report: `change` edits it (checks by position).
func variant(_ change: (inout Report) -> Void) -> Report {
    var report = fixedReport()
    change(&report)
    return Report(
        tool: report.tool, profile: report.profile, run: report.run, flows: report.flows, checks: report.checks)
}

func runTool(_ arguments: [String], input: String) throws -> (Int32, String) {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nlsprobe-tool-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("input").path
    try input.write(toFile: file, atomically: true, encoding: .utf8)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments.map { $0.replacingOccurrences(of: "INPUT", with: file) }
    process.standardInput = FileHandle(forReadingAtPath: file)
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    for _ in 0..<3000 where process.isRunning { usleep(10_000) }
    return (process.terminationStatus, output)
}

@Suite struct DiffTests {
    @Test func everyClass() throws {
        let before = fixedReport()
        let after = variant { report in
            // [0] pass -> fail: regression; [1] fail -> pass: fixed; [2] fail -> fail, other observation: changed;
            // [3] removed; [4] unchanged (skipped); and one added.
            report.checks[0].observed = .filtered
            report.checks[0].verdict = .fail
            report.checks[1].observed = .open
            report.checks[1].verdict = .pass
            report.checks[2].observed = .refused
            var added = report.checks[3]
            added.id = "clients * -> cls new.example.test tcp/80"
            report.checks.remove(at: 3)
            report.checks.append(added)
        }
        let diff = try ReportDiff.compare(before, after)
        #expect(diff.counts == ["regression": 1, "fixed": 1, "changed": 1, "unchanged": 1, "added": 1, "removed": 1])
        #expect(diff.hasRegression)
        #expect(diff.entries.first?.change == .regression)
        #expect(diff.entries.first?.before == "pass (open)" && diff.entries.first?.after == "fail (filtered)")
        let markdown = diff.markdown()
        #expect(markdown.contains("**REGRESSION**: 1 regression, 1 fixed, 1 changed, 1 unchanged, 1 added, 1 removed."))
        #expect(
            markdown.contains(
                "| changed | `clients 198.18.10.15 -> cls api.cls.licensing.nvidia.com 198.18.2.1 tcp/80` | fail (tls-untrusted) | fail (refused) |"
            ))
        #expect(!(try ReportDiff.compare(before, before)).hasRegression)
    }

    @Test func differentProfilesNeedPermission() throws {
        let other = variant { $0.profile.name = "dls" }
        #expect(throws: CompareError.differentProfiles("cls", "dls")) { try ReportDiff.compare(fixedReport(), other) }
        #expect(try ReportDiff.compare(fixedReport(), other, allowProfileChange: true).counts["unchanged"] == 5)
    }
}

@Suite struct MergeTests {
    @Test func cellsAreSkippedOnlyWhereNoHostRanThem() throws {
        // Host 1 ran clients and skipped admins; host 2 ran admins' check and skipped clients.
        let first = variant { $0.run.host = "probe-a" }
        let second = variant { report in
            report.run.host = "probe-b"
            for index in report.checks.indices {
                if report.checks[index].source.group == "clients" {
                    report.checks[index].verdict = .skipped
                    report.checks[index].observed = nil
                    report.checks[index].source.address = nil
                    report.checks[index].id = report.checks[index].id.replacingOccurrences(
                        of: "198.18.10.15", with: "*")
                } else {
                    report.checks[index].verdict = .pass
                    report.checks[index].observed = .open
                }
            }
        }
        let merged = try ReportMerge.merge([first, second])
        #expect(merged.run.host == "probe-a, probe-b")
        #expect(!merged.checks.contains { $0.source.group == "clients" && $0.verdict == .skipped })
        #expect(merged.checks.filter { $0.source.group == "admins" }.map(\.verdict) == [.pass])
        #expect(merged.checks.filter { $0.source.group == "admins" }.first?.measuredBy == "probe-b")
        #expect(merged.checks.filter { $0.source.group == "clients" }.allSatisfy { $0.measuredBy == "probe-a" })
        let markdown = MarkdownReport.render(merged)
        #expect(markdown.contains("| Measured by |"))
        #expect(markdown.contains("| probe-b |"))
        #expect(throws: CompareError.nothingToMerge) { try ReportMerge.merge([first]) }
        #expect(throws: CompareError.differentProfiles("cls", "dls")) {
            try ReportMerge.merge([first, variant { $0.profile.name = "dls" }])
        }
    }
}

@Suite struct PipelineFormatTests {
    @Test func junitIsValidAgainstTheSchema() throws {
        let xml = JUnitReport.render(fixedReport())
        #expect(xml.contains("<failure message=\"filtered: no answer to SYN within 3.0 s (all 2 attempts)\""))
        #expect(xml.contains("<skipped message="))
        let schema = goldenFolder.appendingPathComponent("../../../Reports/junit.xsd").standardized.path
        let (status, output) = try runTool(["xmllint", "--noout", "--schema", schema, "INPUT"], input: xml)
        #expect(status == 0, "xmllint (Debian libxml2-utils): \(output)")
    }

    @Test func prometheusPassesPromtool() throws {
        let report = variant { $0.checks[0].destination.host = "we\"ird\\host\nname" }
        let text = PrometheusReport.render(report)
        #expect(text.contains("host=\"we\\\"ird\\\\host\\nname\""))
        #expect(text.contains("nlsprobe_run_checks{profile=\"cls\",verdict=\"fail\"} 3"))
        #expect(text.contains("nlsprobe_run_success{profile=\"cls\"} 0"))
        #expect(
            !text.contains("verdict=\"skipped\"} 0") && !text.contains("dls.example.test"),
            "skipped checks are not exported")
        let (status, output) = try runTool(["sh", "-c", "promtool check metrics < INPUT"], input: text)
        #expect(status == 0, "promtool (Debian prometheus): \(output)")
    }
}
