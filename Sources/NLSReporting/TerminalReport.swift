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

    /// The lines for a finished run, each ending in a newline.
    public func render(_ report: Report, paths: [String]) -> String {
        let summary = report.summary
        var lines: [String] = []
        if !quiet {
            lines.append(TerminalText.line("\(report.profile.name): \(report.profile.title)"))
            for flow in report.flows {
                let checks = report.checks.filter { $0.flow.index == flow.index }
                let worst = checks.map(\.verdict).max() ?? .skipped
                let observed = Dictionary(grouping: checks.compactMap(\.observed?.rawValue), by: { $0 })
                    .sorted { $0.key < $1.key }.map { $0.value.count > 1 ? "\($0.key) ×\($0.value.count)" : $0.key }
                let label = TerminalText.line("\(flow.ports)/\(flow.protocol.rawValue) \(flow.from) -> \(flow.to)")
                let result = painted(worst, word: worst.rawValue.uppercased())
                let expect = flow.expect.rawValue.padding(toLength: 5, withPad: " ", startingAt: 0)
                lines.append(
                    "  \(label.padding(toLength: max(label.count, 34), withPad: " ", startingAt: 0))  expect \(expect)  "
                        + "\(result)  \(observed.isEmpty ? "skipped" : observed.joined(separator: ", "))")
            }
            for check in report.checks where check.verdict == .fail || check.verdict == .inconclusive {
                lines.append(
                    "  \(painted(check.verdict, word: check.verdict.rawValue)): "
                        + TerminalText.line(Credentials.redacted("\(check.id): \(check.reason)")))
            }
        }
        lines.append(
            "\(painted(summary.verdict, word: summary.verdict.rawValue.uppercased())): \(summary.total) checks, "
                + "\(summary.pass) passed, \(summary.fail) failed, \(summary.inconclusive) inconclusive, "
                + "\(summary.skipped) skipped")
        for path in paths { lines.append("report: " + TerminalText.line(path)) }
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
