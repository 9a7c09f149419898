import NLSProbeCore

/// The short table `nlsprobe run` prints on standard output. Every name, reason and path is
/// neutralised with ``TerminalText``: what a server, proxy or file sent never reaches the terminal raw.
public struct TerminalReport: Sendable {
    /// Colour the verdict words with ANSI escape sequences (our own, the only ones printed).
    public var color: Bool
    /// Only the verdict line and the report paths.
    public var quiet: Bool

    /// Creates a renderer.
    public init(color: Bool, quiet: Bool) {
        self.color = color
        self.quiet = quiet
    }

    /// The most skip reasons listed after the flows (each with its count).
    public static let skipReasonsShown = 10

    /// The lines for a finished run, each ending in a newline: the flows (a flow's verdict is the
    /// worst of the checks that ran; SKIPPED only when none ran, with the reason), the failed and
    /// inconclusive checks, the skip reasons with their counts, the verdict, and every file written
    /// (reports, then the capture file).
    public func render(_ report: Report, paths: [String]) -> String {
        let summary = report.summary
        let merged = SkipReasons.isMerged(report)
        var lines: [String] = []
        if !quiet {
            lines.append(TerminalText.line("\(report.profile.name): \(report.profile.title)"))
            for flow in report.flows {
                let checks = report.checks.filter { $0.flow.index == flow.index }
                let ran = checks.filter { $0.verdict != .skipped }
                let worst = ran.map(\.verdict).max() ?? .skipped
                let label = TerminalText.line("\(flow.ports)/\(flow.protocol.rawValue) \(flow.from) -> \(flow.to)")
                let result = painted(worst, word: worst.rawValue.uppercased())
                let expect = flow.expect.rawValue.padding(toLength: 5, withPad: " ", startingAt: 0)
                // Observations in alphabetical order, with counts.
                var outcome = CountedLabels.text(ran.compactMap(\.observed?.rawValue).sorted())
                if let why = SkipReasons.summary(checks, merged: merged) {
                    let skipped = checks.count - ran.count
                    outcome += outcome.isEmpty ? why : "; \(skipped) skipped: \(why)"
                }
                lines.append(
                    "  \(label.padding(toLength: max(label.count, 34), withPad: " ", startingAt: 0))  expect \(expect)  "
                        + "\(result)  " + TerminalText.line(outcome))
            }
            for check in report.checks where check.verdict == .fail || check.verdict == .inconclusive {
                lines.append(
                    "  \(painted(check.verdict, word: check.verdict.rawValue)): "
                        + TerminalText.line(Credentials.redacted("\(check.id): \(check.reason)")))
            }
            let groups = SkipReasons.grouped(report.checks, merged: merged)
            for group in groups.prefix(Self.skipReasonsShown) {
                let count = group.checks.count
                lines.append(
                    "  \(painted(.skipped, word: "skipped")): \(count) check\(count == 1 ? "" : "s"): "
                        + TerminalText.line(group.reason))
            }
            if groups.count > Self.skipReasonsShown {
                lines.append(
                    "  \(painted(.skipped, word: "skipped")): \(groups.count - Self.skipReasonsShown) more reasons")
            }
        }
        lines.append(
            "\(painted(summary.verdict, word: summary.verdict.rawValue.uppercased())): \(summary.total) checks, "
                + "\(summary.pass) passed, \(summary.fail) failed, \(summary.inconclusive) inconclusive, "
                + "\(summary.skipped) skipped")
        for path in paths { lines.append("report: " + TerminalText.line(path)) }
        if let capture = report.run.capture { lines.append("capture: " + TerminalText.line(capture)) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The verdict word, in its colour when colour is on.
    public func painted(_ verdict: Verdict, word: String) -> String {
        guard color else { return word }
        let code =
            switch verdict {
            case .pass: "32"
            case .fail: "31"
            case .inconclusive: "33"
            case .skipped: "90"
            }
        return "\u{1B}[\(code)m\(word)\u{1B}[0m"
    }
}
