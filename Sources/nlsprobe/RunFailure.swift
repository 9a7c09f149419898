import ArgumentParser
import NLSProbeRun
import NLSReporting

/// How the command line shows a ``RunError``: a usage error with the usage (exit 64), a bad input
/// (exit 64) or a failure of this host (exit 70), each printed once.
enum RunFailure {
    /// Runs `body`; a ``RunError`` it throws is printed as its kind says and becomes the exit status.
    static func presenting<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as RunError {
            throw exit(for: error)
        }
    }

    /// Runs `body`; a ``RunError`` it throws is printed as its kind says and becomes the exit status.
    static func presenting<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as RunError {
            throw exit(for: error)
        }
    }

    /// Prints `error` as its kind says and returns what ends the command.
    private static func exit(for error: RunError) -> any Error {
        switch error.kind {
        case .usage:
            return ValidationError(error.description)
        case .input:
            printProblems(error)
            return ExitCode(Exit.usage)
        case .host:
            printProblems(error)
            return ExitCode(Exit.internalError)
        }
    }

    /// Prints the error: profile problems as the loader wrote them (file:line:column), the rest
    /// after "nlsprobe: ".
    private static func printProblems(_ error: RunError) {
        if case .profiles(let problems) = error {
            for problem in problems {
                StandardStream.error.write(TerminalText.lines(problem) + "\n")
            }
        } else {
            printError(error.description)
        }
    }
}
