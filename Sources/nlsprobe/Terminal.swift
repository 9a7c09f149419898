import Foundation
import NLSProbeCore

#if canImport(Glibc)
    import Glibc
#endif

/// What the run prints on standard output: a progress line on a terminal, a short table, the report paths.
struct Terminal: Sendable {
    let isTTY: Bool
    let color: Bool
    let quiet: Bool

    init(color: Bool, quiet: Bool) {
        isTTY = isatty(STDOUT_FILENO) == 1
        self.color = color && isTTY && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
        self.quiet = quiet
    }

    func progress(done: Int, total: Int) {
        guard isTTY, !quiet, total >= 20, done % max(1, total / 100) == 0 || done == total else { return }
        emit("\r\u{1B}[2K[\(done)/\(total)] checks finished")
    }

    func clearProgress() {
        guard isTTY, !quiet else { return }
        emit("\r\u{1B}[2K")
    }

    func show(_ report: Report, paths: [String]) {
        let summary = report.summary
        var lines: [String] = []
        if !quiet {
            lines.append("\(report.profile.name): \(report.profile.title)")
            for flow in report.flows {
                let checks = report.checks.filter { $0.flow.index == flow.index }
                let worst = checks.map(\.verdict).max() ?? .skipped
                let observed = Dictionary(grouping: checks.compactMap(\.observed?.rawValue), by: { $0 })
                    .sorted { $0.key < $1.key }.map { $0.value.count > 1 ? "\($0.key) ×\($0.value.count)" : $0.key }
                let label = "\(flow.ports)/\(flow.protocol.rawValue) \(flow.from) -> \(flow.to)"
                let result = painted(worst, word: worst.rawValue.uppercased())
                lines.append(
                    "  \(label.padding(toLength: max(label.count, 34), withPad: " ", startingAt: 0))  expect \(flow.expect.rawValue.padding(toLength: 5, withPad: " ", startingAt: 0))  \(result)  \(observed.isEmpty ? "skipped" : observed.joined(separator: ", "))"
                )
            }
            for check in report.checks where check.verdict == .fail || check.verdict == .inconclusive {
                lines.append("  \(painted(check.verdict, word: check.verdict.rawValue)): \(check.id): \(check.reason)")
            }
        }
        lines.append(
            "\(painted(summary.verdict, word: summary.verdict.rawValue.uppercased())): \(summary.total) checks, \(summary.pass) passed, \(summary.fail) failed, \(summary.inconclusive) inconclusive, \(summary.skipped) skipped"
        )
        for path in paths { lines.append("report: \(path)") }
        emit(lines.joined(separator: "\n") + "\n")
    }

    func painted(_ verdict: Verdict, word: String) -> String {
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

    private func emit(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
