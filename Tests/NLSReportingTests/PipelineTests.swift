import Foundation
import NLSProbeCore
import TestSupport
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
    guard let status = ChildProcess.waitForExit(process, timeout: 30) else {
        ChildProcess.stop(process, grace: 0)
        return (-1, "\(arguments.joined(separator: " ")) did not finish within 30 s: \(output)")
    }
    return (status, output)
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

    @Test func junitFailsFailedChecksAndErrsInconclusiveOnes() {
        var report = fixedReport()
        report.checks[3].verdict = .inconclusive
        report.checks[3].observed = .localError
        report.checks[3].reason = "no file descriptors left"
        let xml = JUnitReport.render(report)
        let hint = XMLText.escape(Hints.hint(for: report.checks[3], profile: report.profile))
        #expect(
            xml.contains(
                "      <error message=\"local-error: no file descriptors left\" type=\"local-error\">\(hint)</error>\n    </testcase>"
            ))
        #expect(
            xml.contains("type=\"filtered\">The flow 198.18.10.15 → 198.18.2.2 443/tcp dies after hop 2 (10.20.0.1)"))
        #expect(xml.components(separatedBy: "</failure>").count == 3, "two failed checks remain")
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
