import ArgumentParser
import NLSReporting

/// Reports that cannot be read, compared or merged are bad input: the message, then exit 64.
func exitingOnBadReports<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as ReportError {
        printError(error.description)
        throw ExitCode(Exit.usage)
    } catch let error as CompareError {
        printError(error.description)
        throw ExitCode(Exit.usage)
    }
}
