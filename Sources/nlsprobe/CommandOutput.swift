import ArgumentParser
import Foundation
import NLSReporting

/// Where a command's text goes: the file given with `--output`, written whole or not at all
/// (``AtomicFile``), or standard output.
enum CommandOutput {
    /// Writes `text` to `path` atomically, or to standard output when `path` is nil. A failed
    /// write is shown on standard error and ends the command with exit 70; nothing is left behind.
    static func write(_ text: String, to path: String?) throws(ExitCode) {
        try write(Data(text.utf8), to: path)
    }

    /// Writes `data` to `path` atomically, or to standard output when `path` is nil, as the text
    /// form does.
    static func write(_ data: Data, to path: String?) throws(ExitCode) {
        guard let path else {
            StandardStream.output.write(data)
            return
        }
        do {
            try AtomicFile.write(data, to: path)
        } catch {
            printError(error.description)
            throw ExitCode(Exit.internalError)
        }
    }
}
