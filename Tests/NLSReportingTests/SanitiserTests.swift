import Foundation
import NLSProbeCore
import Testing

@testable import NLSReporting

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// What a hostile server, proxy or file can put in a string, and what each output must make of it.
let hostileStrings = [
    "\u{1B}]0;title\u{07}", "\u{1B}[2J", "a|b", "<script>alert(1)</script>", "nul\u{0}byte", "next\u{85}line",
    "evil\u{202E}txt.exe", "`code` & [link](http://x)", "line\nbreak\r\n", "del\u{7F}c1\u{9B}31m",
]

/// True when `text` holds a character no terminal, document or parser should get raw.
func holdsControl(_ text: String, allowing allowed: Set<Unicode.Scalar> = []) -> Bool {
    text.unicodeScalars.contains { ControlCharacters.isControl($0) && !allowed.contains($0) }
}

/// A report whose every remote-controlled field holds `text`.
func hostileReport(_ text: String) -> Report {
    var report = fixedReport()
    report.run.host = "probe \(text)"
    report.profile.name = "name \(text)"
    report.checks[2].reason = "reason \(text)"
    report.checks[2].evidence.http = HTTPEvidence(
        status: 502, server: "server \(text)", via: "via \(text)", date: "date \(text)", clockSkewS: 900)
    report.checks[2].evidence.proxy = ProxyEvidence(
        url: "http://proxy.test:3128", status: "HTTP/1.1 502 \(text)", server: "proxy \(text)", error: "ERR \(text)")
    report.checks[2].evidence.tls?.chain[0].subject = "CN=\(text)"
    report.checks[2].evidence.tls?.chain[0].issuer = "CN=issuer \(text)"
    report.checks[1].destination.host = "host\(text)"
    report.checks[1].id = "id \(text)"
    report.flows[0].from = "from \(text)"
    return Report(
        tool: report.tool, profile: report.profile, run: report.run, flows: report.flows, checks: report.checks)
}

/// The `|` in a Markdown line that are not backslash-escaped: the cell borders.
func unescapedPipes(_ line: String) -> Int {
    var count = 0
    var escaped = false
    for character in line {
        if escaped {
            escaped = false
        } else if character == "\\" {
            escaped = true
        } else if character == "|" {
            count += 1
        }
    }
    return count
}

/// Markdown with its code spans (a run of backticks up to the next run of the same length) removed.
func withoutCodeSpans(_ markdown: String) -> String {
    let characters = Array(markdown)
    var out = ""
    var index = 0
    while index < characters.count {
        guard characters[index] == "`" else {
            out.append(characters[index])
            index += 1
            continue
        }
        var fence = 0
        while index + fence < characters.count && characters[index + fence] == "`" { fence += 1 }
        var end = index + fence
        var closed: Int?
        while end < characters.count {
            var run = 0
            while end + run < characters.count && characters[end + run] == "`" { run += 1 }
            if run == fence {
                closed = end + run
                break
            }
            end += max(run, 1)
        }
        guard let closed else {
            out.append(contentsOf: characters[index...])
            break
        }
        index = closed
    }
    return out
}

@Suite struct SanitiserTests {
    @Test(arguments: hostileStrings) func terminalTextNeutralisesControls(text: String) {
        let line = TerminalText.line(text)
        #expect(!holdsControl(line), "\(line.debugDescription)")
        #expect(!line.contains("\u{1B}") && !line.contains("\u{7}") && !line.contains("\u{202E}"))
        let lines = TerminalText.lines(text)
        #expect(!holdsControl(lines, allowing: ["\n"]))
    }

    @Test func terminalTextShowsWhatItReplaced() {
        #expect(TerminalText.line("\u{1B}]0;title\u{07}") == "\\u{1B}]0;title\\u{7}")
        #expect(TerminalText.line("nul\u{0}") == "nul\\u{0}")
        #expect(TerminalText.line("a\u{85}b\u{202E}c") == "a\\u{85}b\\u{202E}c")
        #expect(TerminalText.lines("one\ntwo\r") == "one\ntwo\\u{D}")
        #expect(TerminalText.line("plain ✅ é") == "plain ✅ é")
    }

    @Test(arguments: hostileStrings) func markdownInlineCannotBreakOut(text: String) {
        let inline = MarkdownText.inline(text)
        #expect(!holdsControl(inline), "\(inline.debugDescription)")
        #expect(!inline.contains("<") && !inline.contains(">"))
        #expect(!inline.contains("\n") && !inline.contains("\r"))
        // Every | and ` is escaped: none can end a table cell or open a code span.
        let scalars = Array(inline.unicodeScalars)
        for (index, scalar) in scalars.enumerated() where scalar == "|" || scalar == "`" || scalar == "[" {
            var backslashes = 0
            var before = index - 1
            while before >= 0 && scalars[before] == "\\" {
                backslashes += 1
                before -= 1
            }
            #expect(backslashes % 2 == 1, "unescaped \(scalar) in \(inline)")
        }
    }

    @Test func markdownExamples() {
        #expect(MarkdownText.inline("a|b") == "a\\|b")
        #expect(MarkdownText.inline("<script>") == "&lt;script&gt;")
        #expect(MarkdownText.inline("x & y\nz") == "x &amp; y z")
        #expect(MarkdownText.inline("\u{1B}[2J") == "\\\\u{1B}\\[2J")
        #expect(MarkdownText.code("plain") == "`plain`")
        #expect(MarkdownText.code("a`b") == "`` a`b ``")
        #expect(MarkdownText.code("a|b", inTable: true) == "`a\\|b`")
        #expect(MarkdownText.code("x\u{202E}\ny") == "`x\\u{202E} y`")
    }

    @Test(arguments: hostileStrings) func xmlTextIsAlwaysWellFormed(text: String) throws {
        let escaped = XMLText.escape(text)
        #expect(!holdsControl(escaped), "\(escaped.debugDescription)")
        #expect(!escaped.contains("<") && !escaped.contains("\""))
        let document = "<a b=\"\(escaped)\">\(escaped)</a>"
        #expect(throws: Never.self) { try XMLDocument(xmlString: document) }
    }

    @Test(arguments: hostileStrings) func prometheusLabelStaysOnOneLine(text: String) {
        let value = PrometheusText.labelValue(text)
        #expect(!holdsControl(value), "\(value.debugDescription)")
        // Every double quote is escaped: the value cannot end early.
        #expect(
            !value.replacingOccurrences(of: "\\\\", with: "").replacingOccurrences(of: "\\\"", with: "").contains("\""))
        #expect(PrometheusText.labelValue("a\"b\\c\nd") == "a\\\"b\\\\c\\nd")
        #expect(PrometheusText.labelValue("\u{1B}") == "\\\\u{1B}")
    }

    /// Every output of a report whose remote fields are hostile: nothing raw reaches the terminal,
    /// the Markdown, the XML or the metrics; the JSON keeps every byte.
    @Test(arguments: hostileStrings) func everyRendererNeutralisesARemoteParty(text: String) throws {
        let report = hostileReport(text)
        let markdown = MarkdownReport.render(report)
        #expect(!holdsControl(markdown, allowing: ["\n"]), "\(markdown.debugDescription)")
        // Code spans show their text literally: HTML only counts outside them.
        #expect(!withoutCodeSpans(markdown).contains("<"))
        // Each table row keeps its header's column count, whatever the cells hold.
        var header: Int?
        for line in markdown.split(separator: "\n", omittingEmptySubsequences: false) {
            guard line.hasPrefix("|") else {
                header = nil
                continue
            }
            let pipes = unescapedPipes(String(line))
            if let header { #expect(pipes == header, "\(line)") } else { header = pipes }
        }
        let junit = JUnitReport.render(report)
        #expect(!holdsControl(junit, allowing: ["\n"]))
        #expect(throws: Never.self) { try XMLDocument(xmlString: junit) }
        let prometheus = PrometheusReport.render(report)
        #expect(!holdsControl(prometheus, allowing: ["\n"]))
        for line in prometheus.split(separator: "\n") where !line.hasPrefix("#") {
            #expect(line.hasPrefix("nlsprobe_"), "a label broke the line: \(line)")
        }
        let terminal = TerminalReport(color: false, quiet: false).render(report, paths: ["/tmp/\(text).json"])
        #expect(!holdsControl(terminal, allowing: ["\n"]), "\(terminal.debugDescription)")
        let diff = try ReportDiff.compare(fixedReport(), report, allowProfileChange: true).markdown()
        #expect(!holdsControl(diff, allowing: ["\n"]))
        #expect(!withoutCodeSpans(diff).contains("<"))
        let json = JSONReport.encode(report)
        #expect(try JSONReport.decode(json, path: "memory") == report)
    }
}
