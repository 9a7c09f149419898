import Foundation
import NLSProbeCore
import NLSReporting
import TestSupport
import Testing

/// Debian's Chromium, when installed.
let chromiumPath = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first {
    FileManager.default.isExecutableFile(atPath: $0)
}

/// The HTML report in a real browser: headless Chromium loads the file offline (file: URL, no
/// network in the page's policy), runs its script, and the DOM it dumps is checked: every check
/// present, the filter from the URL fragment applied, hostile text inert. Needs Debian's
/// `chromium` (scripts/test.sh installs it); skips without it, except under CI=true.
@Suite(.serialized) struct HTMLReportBrowserTests {
    let scratch: TemporaryFolder
    init() throws { scratch = try TemporaryFolder() }

    /// Headless Chromium with a profile of its own in the scratch folder; `--no-sandbox` because
    /// the suite runs as root. Returns standard output (the DOM with `--dump-dom`).
    func chromium(_ arguments: [String]) throws -> String {
        guard let browser = chromiumPath else { throw LabError(description: "chromium is not installed") }
        let result = try ChildProcess.run(
            [
                browser, "--headless", "--disable-gpu", "--no-sandbox", "--no-first-run", "--disable-extensions",
                "--user-data-dir=\(scratch.url.appendingPathComponent("chromium").path)",
            ] + arguments, allowFailure: true, timeout: 60)
        guard result.status == 0 else { throw LabError(description: "chromium failed: \(result.output)") }
        return result.output
    }

    /// `nlsprobe report FILE --format html` into the scratch folder.
    func renderHTML(_ json: String, _ name: String) throws -> String {
        let path = scratch.url.appendingPathComponent(name).path
        try run([nlsprobeExecutable, "report", json, "--format", "html", "--output", path])
        return path
    }

    /// The check rows of a dumped DOM: (verdict, hidden).
    func rows(_ dom: String) -> [(verdict: String, hidden: Bool)] {
        dom.components(separatedBy: "<tr class=\"check ").dropFirst().map { piece in
            let tag = String(piece.prefix(while: { $0 != ">" }))
            let verdict = tag.components(separatedBy: "data-verdict=\"").dropFirst().first?.prefix { $0 != "\"" }
            return (verdict.map(String.init) ?? "", tag.contains(" hidden"))
        }
    }

    var example: String { repositoryRoot.appendingPathComponent("Reports/examples/lab-cls.json").path }

    @Test(
        .enabled(if: chromiumPath != nil || LabPrivilege.inCI, "needs Debian's chromium (scripts/test.sh installs it)"))
    func everyCheckIsThereAndTheFragmentFilters() throws {
        let report = try JSONReport.read(path: example)
        let html = try renderHTML(example, "lab.html")
        let all = try chromium(["--dump-dom", URL(fileURLWithPath: html).absoluteString])
        #expect(all.contains("data-ready=\"true\""), "the report's script did not run")
        for check in report.checks {
            #expect(all.contains("data-id=\"\(HTMLText.escape(check.id))\""), "\(check.id)")
        }
        #expect(rows(all).count == report.checks.count)
        #expect(rows(all).allSatisfy { !$0.hidden })
        #expect(all.contains("\(report.checks.count) of \(report.checks.count) checks shown"))

        let failed = try chromium(["--dump-dom", URL(fileURLWithPath: html).absoluteString + "#filter=fail"])
        let shown = rows(failed).filter { !$0.hidden }
        #expect(shown.count == report.summary.fail && shown.allSatisfy { $0.verdict == "fail" })
        #expect(rows(failed).count == report.checks.count)
        #expect(failed.contains("\(report.summary.fail) of \(report.checks.count) checks shown"))

        // Text and sort from the fragment: the slowest failed check first.
        let sorted = try chromium([
            "--dump-dom", URL(fileURLWithPath: html).absoluteString + "#filter=pass,fail&q=tcp%2F22&sort=-ms",
        ])
        let visible = rows(sorted).filter { !$0.hidden }
        #expect(visible.count == report.checks.filter { $0.id.hasSuffix("tcp/22") }.count)
        #expect(sorted.contains("data-key=\"ms\" data-numeric=\"\" aria-sort=\"descending\""))
    }

    @Test(
        .enabled(if: chromiumPath != nil || LabPrivilege.inCI, "needs Debian's chromium (scripts/test.sh installs it)"))
    func hostileTextStaysTextInTheBrowser() throws {
        var report = try JSONReport.read(path: example)
        report.profile.name = "<script>document.title='owned'</script>"
        report.run.host = "\"><img src=x onerror=\"document.title='owned'\">"
        report.checks[1].reason = "</td></tr></table><script>document.title='owned'</script>"
        report.checks[1].destination.host = "'><svg onload=document.title='owned'>"
        let json = scratch.url.appendingPathComponent("hostile.json").path
        try JSONReport.encode(report).write(to: URL(fileURLWithPath: json))
        let html = try renderHTML(json, "hostile.html")
        let dom = try chromium(["--dump-dom", URL(fileURLWithPath: html).absoluteString])
        #expect(dom.components(separatedBy: "<script").count - 1 == 1, "only the report's own script")
        #expect(!dom.contains("<img") && !dom.contains("<svg"))
        #expect(!dom.contains("<title>owned"))
        #expect(dom.contains("&lt;script&gt;document.title='owned'&lt;/script&gt;"))
        #expect(rows(dom).count == report.checks.count, "a reason must not end the table")
    }

    @Test(
        .enabled(if: chromiumPath != nil || LabPrivilege.inCI, "needs Debian's chromium (scripts/test.sh installs it)"))
    func screenshotAndA4PDF() throws {
        let html = try renderHTML(example, "lab.html")
        let png = scratch.url.appendingPathComponent("report.png").path
        _ = try chromium([
            "--hide-scrollbars", "--window-size=1280,1500", "--screenshot=\(png)",
            URL(fileURLWithPath: html).absoluteString,
        ])
        let image = try Data(contentsOf: URL(fileURLWithPath: png))
        #expect(image.starts(with: [0x89, 0x50, 0x4E, 0x47]) && image.count > 10_000)
        let pdf = scratch.url.appendingPathComponent("report.pdf").path
        _ = try chromium(["--no-pdf-header-footer", "--print-to-pdf=\(pdf)", URL(fileURLWithPath: html).absoluteString])
        let document = try Data(contentsOf: URL(fileURLWithPath: pdf))
        // A4 is 595 × 842 points: the page box the @page rule asks for.
        let text = String(decoding: document, as: UTF8.self)
        #expect(text.contains("/MediaBox [0 0 595") || text.contains("/MediaBox [0 0 594.9"), "not A4")
    }
}
