import NLSProbeCore

/// One self-contained HTML file for a ticket or a browser: the verdict, the flow table, the
/// matrix, every check in a table that sorts and filters (by verdict and text, state in the URL
/// fragment: `#filter=fail`), failed and inconclusive checks expanded with evidence and hints,
/// and the environment. Nothing is loaded from the network (inline style and script, allowed by
/// hash in its Content-Security-Policy); it prints on A4. Every piece of untrusted text goes
/// through ``HTMLText``.
public enum HTMLReport {
    /// Renders the whole report.
    public static func render(_ report: Report) -> String {
        let summary = report.summary
        var out = [
            "<!DOCTYPE html>",
            "<html lang=\"en\">",
            "<head>",
            "<meta charset=\"utf-8\">",
            "<meta http-equiv=\"Content-Security-Policy\" content=\"\(HTMLReportAssets.contentSecurityPolicy)\">",
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
            "<meta name=\"generator\" content=\"\(e(report.tool.name)) \(e(report.tool.version))\">",
            "<title>nlsprobe: \(e(report.profile.name)), \(verdictWord(summary.verdict))</title>",
            "<style>\(HTMLReportAssets.style)</style>",
            "</head>",
            "<body>",
            "<h1>nlsprobe: \(e(report.profile.name)) \(badge(summary.verdict, upper: true))</h1>",
            "<p class=\"summary\" id=\"summary\"><strong>Verdict: \(verdictWord(summary.verdict))</strong>: "
                + "\(summary.total) checks, \(summary.pass) passed, \(summary.fail) failed, "
                + "\(summary.inconclusive) inconclusive, \(summary.skipped) skipped.</p>",
        ]
        for warning in report.run.warnings ?? [] {
            out.append("<p class=\"warning\">Warning: \(e(warning))</p>")
        }
        if report.run.interrupted {
            out.append(
                "<p class=\"warning\">The run was interrupted: checks that had not finished are inconclusive "
                    + "(&quot;interrupted&quot;).</p>")
        }
        out.append(
            "<p>\(e(report.profile.title)). Run on <code>\(e(report.run.host))</code>, \(e(report.run.started)) to "
                + "\(e(report.run.finished)).</p>")
        out += flowTable(report)
        out += matrix(report)
        out += checksTable(report)
        out += problems(report)
        out += environment(report)
        out += ["<script>\(HTMLReportAssets.script)</script>", "</body>", "</html>"]
        return out.joined(separator: "\n") + "\n"
    }

    static func verdictWord(_ verdict: Verdict) -> String {
        verdict.rawValue.uppercased()
    }

    /// A verdict as a coloured word (the word stays readable in black and white).
    static func badge(_ verdict: Verdict, upper: Bool = false) -> String {
        let word = upper || verdict == .fail ? verdict.rawValue.uppercased() : verdict.rawValue
        return "<span class=\"v v-\(verdict.rawValue)\">\(word)</span>"
    }

    static func flowTable(_ report: Report) -> [String] {
        let merged = SkipReasons.isMerged(report)
        var out = [
            "<h2>Flows</h2>", "<table id=\"flows\">",
            "<thead><tr><th>Port</th><th>Protocol</th><th>Eg-/Ingress</th><th>Service</th><th>Source</th>"
                + "<th>Destination</th><th>Expect</th><th>Observed</th><th>Result</th></tr></thead>",
            "<tbody>",
        ]
        for flow in report.flows {
            let checks = report.checks.filter { $0.flow.index == flow.index }
            var result = checks.isEmpty ? "no checks" : CheckMatrix.aggregate(checks) { badge($0) }
            if let why = SkipReasons.summary(checks, merged: merged) { result += ": " + e(why) }
            let observed = CountedLabels.text(checks.map { $0.observed?.rawValue ?? "skipped" })
            let cells = [
                e(flow.ports), flow.protocol.rawValue.uppercased(), flow.direction.rawValue.capitalized,
                e(flow.services.joined(separator: ", ")), e(flow.from), e(flow.to), flow.expect.rawValue,
                e(observed), result,
            ]
            out.append("<tr>" + cells.map { "<td>\($0)</td>" }.joined() + "</tr>")
        }
        out += ["</tbody>", "</table>"]
        return out
    }

    static func matrix(_ report: Report) -> [String] {
        let matrix = CheckMatrix(report)
        guard !matrix.rows.isEmpty else { return [] }
        var out = [
            "<h2>Matrix</h2>",
            "<p>Sources down, destination:port across; one mark per cell (worst verdict of its checks).</p>",
            "<table class=\"matrix\" id=\"matrix\">",
            "<thead><tr><th>Source</th>" + matrix.columns.map { "<th>\(e($0))</th>" }.joined() + "</tr></thead>",
            "<tbody>",
        ]
        for label in matrix.rows {
            let cells = matrix.columns.map { column in
                "<td>" + CheckMatrix.aggregate(matrix.checks(row: label, column: column)) { badge($0) } + "</td>"
            }
            out.append("<tr><td>\(e(label))</td>" + cells.joined() + "</tr>")
        }
        out += ["</tbody>", "</table>"]
        return out
    }

    /// The columns of the checks table: key (for `sort=`), title, numeric.
    static let checkColumns: [(key: String, title: String, numeric: Bool)] = [
        ("verdict", "Verdict", false), ("source", "Source", false), ("destination", "Destination", false),
        ("port", "Port", true), ("protocol", "Protocol", false), ("path", "Path", false), ("expect", "Expect", false),
        ("observed", "Observed", false), ("reason", "Reason", false), ("ms", "Time (ms)", true),
    ]

    static func checksTable(_ report: Report) -> [String] {
        let merged = SkipReasons.isMerged(report)
        let present = Set(report.checks.map(\.verdict))
        let boxes = Verdict.allCases.map { verdict in
            "<label><input type=\"checkbox\" name=\"verdict\" value=\"\(verdict.rawValue)\" checked> "
                + "\(badge(verdict)) (\(report.checks.filter { $0.verdict == verdict }.count))</label>"
        }
        var out = [
            "<h2>Checks</h2>",
            "<div class=\"controls\" role=\"search\">" + boxes.joined(separator: " ")
                + " <label>Text <input type=\"search\" id=\"query\" placeholder=\"host, address, reason…\"></label>"
                + " <span id=\"shown\" aria-live=\"polite\">\(report.checks.count) of \(report.checks.count) checks shown</span>"
                + "</div>",
            "<table id=\"checks\" data-verdicts=\"\(Verdict.allCases.filter(present.contains).map(\.rawValue).joined(separator: ","))\">",
            "<thead><tr>"
                + checkColumns.map {
                    "<th data-key=\"\($0.key)\"\($0.numeric ? " data-numeric" : "")><button type=\"button\">\($0.title)</button></th>"
                }.joined() + "</tr></thead>",
            "<tbody>",
        ]
        for (order, check) in report.checks.enumerated() {
            let source = check.source.address.map { "\(check.source.group) \($0)" } ?? check.source.group
            let destination =
                "\(check.destination.group) \(check.destination.host)"
                + (check.destination.address.map { " \($0)" } ?? "")
            let cells = [
                badge(check.verdict), e(source), e(destination),
                "<td data-value=\"\(check.flow.port)\">\(check.flow.port)", check.flow.protocol.rawValue,
                e(EvidenceText.path(check)), check.expect.rawValue, e(check.observed?.rawValue ?? "skipped"),
                e(Credentials.redacted(EvidenceText.reason(check, merged: merged))),
                "<td data-value=\"\(e(UntrustedNumber.text(check.timingsMs.total)))\">"
                    + e(UntrustedNumber.text(check.timingsMs.total)),
            ]
            out.append(
                "<tr class=\"check r-\(check.verdict.rawValue)\" data-verdict=\"\(check.verdict.rawValue)\" "
                    + "data-order=\"\(order)\" data-id=\"\(e(check.id))\" title=\"\(e(check.id))\">"
                    + cells.map { $0.hasPrefix("<td") ? $0 + "</td>" : "<td>\($0)</td>" }.joined() + "</tr>")
        }
        out += ["</tbody>", "</table>"]
        return out
    }

    /// Failed and inconclusive checks, expanded: expectation, observation, reason, path, every
    /// piece of evidence and the hint.
    static func problems(_ report: Report) -> [String] {
        let bad = report.checks.filter { $0.verdict == .fail || $0.verdict == .inconclusive }
        guard !bad.isEmpty else { return [] }
        var out = ["<h2>Failed and inconclusive checks</h2>"]
        for check in bad {
            let evidence = EvidenceText.lines(check).map { "<li>\(e(Credentials.redacted($0)))</li>" }.joined()
            out += [
                "<details open class=\"problem d-\(check.verdict.rawValue)\" data-id=\"\(e(check.id))\">",
                "<summary>\(badge(check.verdict)) <code>\(e(check.id))</code></summary>",
                "<dl>",
                "<dt>Expected</dt><dd>\(check.expect.rawValue), observed <code>\(e(check.observed?.rawValue ?? "none"))</code></dd>",
                "<dt>Reason</dt><dd>\(e(Credentials.redacted(check.reason)))</dd>",
                "<dt>Path</dt><dd>\(e(EvidenceText.path(check)))</dd>",
                "<dt>Evidence</dt><dd><ul>\(evidence)</ul></dd>",
                "<dt>Hint</dt><dd>\(e(Hints.hint(for: check, profile: report.profile)))</dd>",
                "</dl>",
                "</details>",
            ]
        }
        return out
    }

    static func environment(_ report: Report) -> [String] {
        let rows = EnvironmentRows.of(report)
        return ["<h2>Environment</h2>", "<table id=\"environment\"><tbody>"]
            + rows.map { "<tr><th scope=\"row\">\($0.0)</th><td>\(e($0.1))</td></tr>" } + ["</tbody></table>"]
    }

    /// Untrusted text for content or an attribute (see ``HTMLText/escape(_:)``).
    static func e(_ text: String) -> String {
        HTMLText.escape(text)
    }
}
