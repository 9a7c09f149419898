import Logging

/// Diagnostics through swift-log, on standard error.
enum Diagnostics {
    /// A logger at warning level, debug with -v, trace with -vv.
    static func logger(verbosity: Int) -> Logger {
        var logger = Logger(label: "nlsprobe") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = verbosity >= 2 ? .trace : verbosity == 1 ? .debug : .warning
        return logger
    }
}
