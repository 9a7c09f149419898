import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A command run to its end, or waited on until a condition holds: the one way the test suites
/// start programs and wait for them, never by sleeping and hoping.
public enum ChildProcess {
    /// What a finished command left.
    public struct Result: Sendable {
        /// Its exit status, or 128 + the signal that ended it.
        public var status: Int32
        /// Standard output and standard error together, decoded leniently (a byte that is not
        /// UTF-8 shows as U+FFFD instead of emptying the output).
        public var output: String
    }

    /// A command that failed, did not start or did not end in time, with its output.
    public struct Failure: Error, CustomStringConvertible {
        /// What went wrong, with the command and its output.
        public let description: String
    }

    /// Runs `arguments` (through `/usr/bin/env`, so a bare name is looked up in PATH) to its end;
    /// throws when it exits non-zero (unless `allowFailure`) or does not end within `timeout`
    /// seconds (it is then killed). Spawned with posix_spawn and reaped with waitpid: Foundation's
    /// Process does not always notice the exit of a script whose own children stay behind.
    @discardableResult
    public static func run(_ arguments: [String], allowFailure: Bool = false, timeout: Double = 120) throws(Failure)
        -> Result
    {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent(
            "nlsprobe-run-\(UUID().uuidString).log"
        ).path
        defer { unlink(log) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = (["/usr/bin/env"] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, "/usr/bin/env", &actions, nil, argv, environ)
        guard spawned == 0 else {
            throw Failure(description: "cannot start \(arguments.first ?? "nothing"): errno \(spawned)")
        }
        var status: Int32 = 0
        let finished = Wait.until(timeout: timeout) { waitpid(pid, &status, WNOHANG) == pid }
        let output = String(decoding: (try? Data(contentsOf: URL(fileURLWithPath: log))) ?? Data(), as: UTF8.self)
        guard finished else {
            kill(pid, SIGKILL)
            _ = waitpid(pid, &status, 0)
            throw Failure(
                description: "\(arguments.joined(separator: " ")) did not finish within \(Int(timeout)) s: \(output)")
        }
        let code = exitCode(status)
        if code != 0 && !allowFailure {
            throw Failure(description: "\(arguments.joined(separator: " ")) exited \(code): \(output)")
        }
        return Result(status: code, output: output)
    }

    /// The exit status waitpid reported: the status of a process that exited, 128 + the signal of
    /// one that was killed.
    public static func exitCode(_ status: Int32) -> Int32 {
        (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }

    /// Waits up to `timeout` seconds for `process` to exit; its status when it did, nil (still
    /// running) when it did not: never a status read from a running process.
    public static func waitForExit(_ process: Process, timeout: Double) -> Int32? {
        guard Wait.until(timeout: timeout, { !process.isRunning }) else { return nil }
        return process.terminationStatus
    }

    /// Stops `process`: SIGTERM, then SIGKILL when it is still there after `grace` seconds.
    public static func stop(_ process: Process, grace: Double = 2) {
        guard process.isRunning else { return }
        process.terminate()
        if !Wait.until(timeout: grace, { !process.isRunning }) {
            kill(process.processIdentifier, SIGKILL)
            _ = Wait.until(timeout: grace) { !process.isRunning }
        }
    }
}

/// Bounded waiting for a condition: a listener, a line in a log, a process gone.
public enum Wait {
    /// Checks `condition` every `interval` seconds until it holds or `timeout` seconds have
    /// passed; true when it held.
    public static func until(timeout: Double, interval: Double = 0.01, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if condition() { return true }
            if Date() >= deadline { return false }
            usleep(UInt32(max(1_000, interval * 1_000_000)))
        }
    }
}
