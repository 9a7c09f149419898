import Foundation
import NLSProbeCore
import Testing

@testable import NLSReporting

/// The fixed report with hostile text wherever a file, a profile or a peer can put text: HTML
/// tags and attribute breakers, spreadsheet formulas, Jira markup, control characters.
func hostileReport() -> Report {
    var report = fixedReport()
    report.profile.name = "<script>alert(1)</script>"
    report.profile.title = "{color:red}*owned*{color} [click|http://evil.example] !http://evil.example/x.png!"
    report.run.host = "\"><img src=x onerror=alert(2)>"
    report.run.warnings = ["=HYPERLINK(\"http://evil.example\",\"x\")", "line one\nline two\u{1B}[31m\u{202E}"]
    report.flows[0].from = "+cmd|' /C calc'!A0"
    report.checks[0].source.group = "+cmd|' /C calc'!A0"
    report.checks[0].destination.host = "'><svg onload=alert(3)>"
    report.checks[1].reason = "=HYPERLINK(\"http://evil.example\",\"x\")"
    report.checks[1].destination.group = "@SUM(1+1)"
    report.checks[2].reason = "-2+3 | {noformat} [x|y] \\\\ \u{1B}[2J"
    report.checks[2].evidence.http?.server = "</script><script>alert(4)</script>"
    report.checks[3].id = "clients * -> cls <b>bold</b>&amp; tcp/80"
    return report
}

@Suite struct TicketFormatTests {
    // MARK: escapers

    @Test func htmlTextEscapesEverythingThatOpensMarkup() {
        #expect(HTMLText.escape("<a href='x'>\"&</a>") == "&lt;a href=&#39;x&#39;&gt;&quot;&amp;&lt;/a&gt;")
        #expect(HTMLText.escape("a\nb\u{1B}c\u{202E}") == "a b\\u{1B}c\\u{202E}")
        #expect(HTMLText.escape("café ×2") == "café ×2")
    }

    @Test func csvFieldsAreQuotedAndNeverFormulas() {
        #expect(CSVText.field("plain") == "plain")
        #expect(CSVText.field("a,b") == "\"a,b\"")
        #expect(CSVText.field("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSVText.field("=1+1") == "'=1+1")
        #expect(CSVText.field("+cmd") == "'+cmd")
        #expect(CSVText.field("-2+3") == "'-2+3")
        #expect(CSVText.field("@SUM(A1)") == "'@SUM(A1)")
        #expect(CSVText.field("=HYPERLINK(\"u\",\"x\")") == "\"'=HYPERLINK(\"\"u\"\",\"\"x\"\")\"")
        #expect(CSVText.field("two\r\nlines\u{1B}") == "two  lines\\u{1B}")
        #expect(CSVText.record(["a", "b,c"]) == "a,\"b,c\"\r\n")
    }

    @Test func jiraTextEscapesMarkupButKeepsNamesReadable() {
        #expect(JiraText.escape("a|b") == "a&#124;b")
        #expect(JiraText.escape("{color:red}x{color}") == "&#123;color:red&#125;x&#123;color&#125;")
        #expect(JiraText.escape("[t|http://e]") == "&#91;t&#124;http://e&#93;")
        #expect(JiraText.escape("\\\\") == "&#92;&#92;")
        #expect(JiraText.escape("*bold* _it_ !img.png!") == "\\*bold* \\_it_ \\!img.png!")
        #expect(JiraText.escape("x -strike- y") == "x \\-strike- y")
        #expect(JiraText.escape("api-cls.example 2026-11-30") == "api-cls.example 2026-11-30")
        #expect(JiraText.escape("a\nb\u{1B}") == "a b&#92;u&#123;1B&#125;")
        #expect(JiraText.escape("&#124;") == "&amp;#124;")
    }

    // MARK: HTML

    @Test func htmlIsSelfContainedAndCarriesEveryCheck() {
        let report = fixedReport()
        let html = HTMLReport.render(report)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        for check in report.checks {
            #expect(html.contains("data-id=\"\(HTMLText.escape(check.id))\""), "\(check.id)")
        }
        // Nothing from the network: no src/href to anything, a policy that forbids it.
        #expect(
            !html.contains("src=") && !html.contains("href=") && !html.contains("@import") && !html.contains("url("))
        #expect(html.contains("default-src 'none'"))
        #expect(html.contains("@page{size:A4"))
        // Failed and inconclusive checks are expanded.
        let expanded = html.components(separatedBy: "<details open").count - 1
        #expect(expanded == report.checks.filter { $0.verdict == .fail || $0.verdict == .inconclusive }.count)
    }

    @Test func htmlPolicyHashesAreThoseOfTheInlineStyleAndScript() {
        let html = HTMLReport.render(fixedReport())
        #expect(html.contains("<script>\(HTMLReportAssets.script)</script>"))
        #expect(html.contains("<style>\(HTMLReportAssets.style)</style>"))
        #expect(HTMLReportAssets.hash("abc") == "sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=")
        #expect(html.contains("script-src '\(HTMLReportAssets.hash(HTMLReportAssets.script))'"))
    }

    @Test func htmlEscapesHostileText() {
        let html = HTMLReport.render(hostileReport())
        // Only the report's own script element, no element a peer or a file named.
        #expect(html.components(separatedBy: "<script").count - 1 == 1)
        #expect(!html.contains("<img") && !html.contains("<svg") && !html.contains("<b>"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("&#39;&gt;&lt;svg onload=alert(3)&gt;"))
        #expect(!html.contains("\u{1B}") && !html.contains("\u{202E}"))
        #expect(html.contains("&lt;b&gt;bold&lt;/b&gt;&amp;amp;"))
    }

    // MARK: CSV

    @Test func csvHasOneRowPerCheckAndTheSameColumnsInEach() throws {
        let report = hostileReport()
        let rows = try parsedCSV(CSVReport.render(report))
        #expect(rows.first == CSVReport.columns)
        #expect(rows.count == report.checks.count + 1)
        #expect(rows.allSatisfy { $0.count == CSVReport.columns.count })
        let column = { (name: String) in CSVReport.columns.firstIndex(of: name) ?? -1 }
        for (row, check) in zip(rows.dropFirst(), report.checks) {
            #expect(row[column("verdict")] == check.verdict.rawValue)
            #expect(row[column("check_id")].hasSuffix(check.id))
        }
        // No cell can be taken for a formula.
        for cell in rows.joined() {
            #expect(!["=", "+", "-", "@"].contains(cell.first.map(String.init) ?? ""), "\(cell)")
        }
        #expect(rows[2][column("reason")] == "'=HYPERLINK(\"http://evil.example\",\"x\")")
        #expect(rows[1][column("source_group")] == "'+cmd|' /C calc'!A0")
        #expect(rows[2][column("destination_group")] == "'@SUM(1+1)")
        #expect(rows[3][column("reason")].hasPrefix("'-2+3"))
    }

    @Test func csvEndsRecordsWithCRLF() {
        let csv = CSVReport.render(fixedReport())
        #expect(csv.hasSuffix("\r\n"))
        #expect(csv.components(separatedBy: "\r\n").count - 1 == fixedReport().checks.count + 1)
        #expect(!csv.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
    }

    // MARK: Jira

    @Test func jiraTablesKeepTheirCellsWithHostileText() {
        let report = hostileReport()
        let jira = JiraReport.render(report)
        let lines = jira.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let header = "||Port||Protocol||Eg-/Ingress||Service||Source||Destination||Expect||Observed||Result||"
        guard let start = lines.firstIndex(of: header) else {
            Issue.record("no flow table header")
            return
        }
        for line in lines[(start + 1)...].prefix(report.flows.count) {
            // Nine cells: ten pipes, whatever the names hold.
            #expect(line.filter { $0 == "|" }.count == 10, "\(line)")
        }
        // The only macros are our own colours; no link, image, or other macro survives.
        let macros = jira.components(separatedBy: "{").dropFirst().map { String($0.prefix(while: { $0 != "}" })) }
        #expect(macros.allSatisfy { $0 == "color" || $0.hasPrefix("color:#") }, "\(macros)")
        #expect(!jira.contains("[") && !jira.contains("]"))
        #expect(jira.contains("\\!http://evil.example/x.png!"))
        #expect(!jira.replacingOccurrences(of: "\\!", with: "").contains("!http"))
        #expect(!jira.contains("\u{1B}"))
        #expect(jira.contains("{color:#de350b}*FAIL*{color}"))
    }

    @Test func everyFormatHasAnExtensionAndRenders() {
        let report = fixedReport()
        #expect(ReportFormat.html.fileExtension == "html")
        #expect(ReportFormat.csv.fileExtension == "csv")
        #expect(ReportFormat.jira.fileExtension == "jira.txt")
        for format in [ReportFormat.html, .csv, .jira] {
            #expect(!ReportRenderer.render(report, as: format).isEmpty)
        }
        #expect((try? ReportFormat.list("json, html,csv,jira")) == [.json, .html, .csv, .jira])
    }

    /// The CSV parsed by Python's csv module (an RFC 4180 reader of its own, not ours).
    func parsedCSV(_ text: String) throws -> [[String]] {
        let folder = try scratchFolder("csv")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/report.csv"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        let script =
            "import csv, json, sys; print(json.dumps(list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8')))))"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", script, path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return try JSONDecoder().decode([[String]].self, from: data)
    }
}
