import NLSProbeCore

/// Jira wiki markup for tickets (Jira Server and Data Center, and Jira Cloud's wiki-markup paste):
/// headings, `||header||` and `|cell|` tables, verdicts in `{color}` macros instead of emoji. Every
/// piece of untrusted text (names, reasons, what peers sent) goes through ``JiraText``.
public enum JiraReport {
    /// Renders the whole report.
    public static func render(_ report: Report) -> String {
        var out: [String] = []
        let summary = report.summary
        out.append("h1. nlsprobe: \(text(report.profile.name)), \(mark(summary.verdict))")
        out.append("")
        out.append(
            "*Verdict: \(verdictWord(summary.verdict))*: \(summary.total) checks, \(summary.pass) passed, "
                + "\(summary.fail) failed, \(summary.inconclusive) inconclusive, \(summary.skipped) skipped.")
        for warning in report.run.warnings ?? [] {
            out.append("")
            out.append("(!) Warning: \(text(warning))")
        }
        if report.run.interrupted {
            out.append("")
            out.append("(!) The run was interrupted: checks that had not finished are inconclusive (\"interrupted\").")
        }
        out.append("")
        out.append(
            "\(text(report.profile.title)). Run on \(text(report.run.host)), \(text(report.run.started)) to "
                + "\(text(report.run.finished)).")
        out.append("")
        out += flowTable(report)
        out += matrix(report)
        out += problems(report)
        out += environment(report)
        return out.joined(separator: "\n") + "\n"
    }

    /// "PASS", "FAIL", …
    static func verdictWord(_ verdict: Verdict) -> String {
        verdict.rawValue.uppercased()
    }

    /// A verdict in its colour: green pass, red FAIL (bold), amber inconclusive, grey skipped.
    static func mark(_ verdict: Verdict) -> String {
        switch verdict {
        case .pass: "{color:#00875a}pass{color}"
        case .fail: "{color:#de350b}*FAIL*{color}"
        case .inconclusive: "{color:#ff8b00}inconclusive{color}"
        case .skipped: "{color:#6b778c}skipped{color}"
        }
    }

    static func flowTable(_ report: Report) -> [String] {
        var out = ["h2. Flows", ""]
        out.append("||Port||Protocol||Eg-/Ingress||Service||Source||Destination||Expect||Observed||Result||")
        let merged = SkipReasons.isMerged(report)
        for flow in report.flows {
            let checks = report.checks.filter { $0.flow.index == flow.index }
            var result = checks.isEmpty ? "no checks" : CheckMatrix.aggregate(checks, mark: mark)
            if let why = SkipReasons.summary(checks, merged: merged) { result += ": " + text(why) }
            let observed = checks.isEmpty ? "" : CountedLabels.text(checks.map { $0.observed?.rawValue ?? "skipped" })
            let cells = [
                text(flow.ports), flow.protocol.rawValue.uppercased(), flow.direction.rawValue.capitalized,
                text(flow.services.joined(separator: ", ")), text(flow.from), text(flow.to), flow.expect.rawValue,
                text(observed), result,
            ]
            out.append(row(cells))
        }
        out.append("")
        return out
    }

    static func matrix(_ report: Report) -> [String] {
        let matrix = CheckMatrix(report)
        guard !matrix.rows.isEmpty else { return [] }
        var out = [
            "h2. Matrix", "", "Sources down, destination:port across; one mark per cell (worst verdict of its checks).",
            "",
        ]
        out.append("||Source||" + matrix.columns.map { text($0) + "||" }.joined())
        for label in matrix.rows {
            let marks = matrix.columns.map { column in
                CheckMatrix.aggregate(matrix.checks(row: label, column: column), mark: mark)
            }
            out.append(row([text(label)] + marks))
        }
        out.append("")
        return out
    }

    static func problems(_ report: Report) -> [String] {
        let bad = report.checks.filter { $0.verdict == .fail || $0.verdict == .inconclusive }
        guard !bad.isEmpty else { return [] }
        var out = ["h2. Failed and inconclusive checks", ""]
        for check in bad {
            out.append("h3. \(mark(check.verdict)): \(text(check.id))")
            out.append(
                "* *Expected* \(check.expect.rawValue), *observed* \(check.observed?.rawValue ?? "none"): \(text(check.reason))"
            )
            out.append("* *Path*: \(text(EvidenceText.path(check)))")
            out.append("* *Evidence*: " + EvidenceText.lines(check).map(text).joined(separator: "; "))
            out.append("* *Hint*: \(text(Hints.hint(for: check, profile: report.profile)))")
            out.append("")
        }
        return out
    }

    static func environment(_ report: Report) -> [String] {
        let rows = EnvironmentRows.of(report)
        return ["h2. Environment", ""] + rows.map { "||\($0.0)|\(cellText(text($0.1)))|" } + [""]
    }

    /// A table row of cells already in markup; an empty cell holds a space (Jira drops `||`).
    static func row(_ cells: [String]) -> String {
        "|" + cells.map { cellText($0) + "|" }.joined()
    }

    static func cellText(_ markup: String) -> String {
        markup.isEmpty ? " " : markup
    }

    /// Untrusted text for a cell or a paragraph (see ``JiraText/escape(_:)``).
    static func text(_ value: String) -> String {
        JiraText.escape(value)
    }
}
