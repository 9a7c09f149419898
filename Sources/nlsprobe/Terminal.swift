import Foundation
import NLSProbeCore
import NLSReporting

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

    /// Prints the short table of a finished run (see ``TerminalReport``).
    func show(_ report: Report, paths: [String]) {
        emit(TerminalReport(color: color, quiet: quiet).render(report, paths: paths))
    }

    private func emit(_ text: String) {
        StandardStream.output.write(text)
    }
}
