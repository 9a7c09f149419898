import Foundation
import TestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// `nlsprobe serve`, the built binary, started on a loopback port: its endpoints fetched with
/// curl, its log kept, stopped with SIGTERM. Every wait is bounded.
final class ServeProcess: @unchecked Sendable {
    /// The loopback port it serves on.
    let port: UInt16
    /// Its standard output and error.
    let log: URL
    private let process = Process()

    /// Starts `nlsprobe serve ARGUMENTS --listen 127.0.0.1:PORT` (does not wait for it).
    init(_ arguments: [String], in folder: URL) throws {
        port = freePort()
        log = folder.appendingPathComponent("serve-\(port).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.executableURL = URL(fileURLWithPath: Self.executable)
        process.arguments = ["serve"] + arguments + ["--listen", "127.0.0.1:\(port)"]
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    /// The nlsprobe executable built next to the test bundle.
    static var executable: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("nlsprobe")
            .path
    }

    /// What it printed so far.
    var output: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    /// GET `path`: the status (0 when nothing answered) and the body.
    func get(_ path: String, timeout: Double = 10) -> (status: Int, body: String) {
        let file = log.deletingLastPathComponent().appendingPathComponent("body-\(UUID().uuidString)")
        defer { unlink(file.path) }
        let result = try? ChildProcess.run(
            [
                "curl", "-s", "--max-time", String(timeout), "-o", file.path, "-w", "%{http_code}",
                "http://127.0.0.1:\(port)\(path)",
            ], allowFailure: true, timeout: timeout + 5)
        let body = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
        return (Int(result?.output.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 0, body)
    }

    /// The value of the sample `series` (the name and labels as written) in `/metrics`.
    func metric(_ series: String) -> Double? {
        Self.value(of: series, in: get("/metrics").body)
    }

    /// The value of the sample `series` in a metrics text.
    static func value(of series: String, in text: String) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix(series + " ") {
            return Double(line.dropFirst(series.count + 1))
        }
        return nil
    }

    /// Waits (bounded) until `/healthz` answers 200.
    func waitHealthy(timeout: Double = 15) -> Bool {
        Wait.until(timeout: timeout, interval: 0.02) { get("/healthz", timeout: 2).status == 200 || !isRunning }
            && isRunning
    }

    /// True while the process runs.
    var isRunning: Bool { process.isRunning }

    /// Sends SIGTERM and waits up to `timeout` seconds: its exit status, nil when it did not exit.
    func terminate(timeout: Double = 10) -> Int32? {
        kill(process.processIdentifier, SIGTERM)
        return ChildProcess.waitForExit(process, timeout: timeout)
    }

    /// Waits for it to exit by itself: its status, nil when it did not exit in time.
    func waitForExit(timeout: Double) -> Int32? {
        ChildProcess.waitForExit(process, timeout: timeout)
    }

    /// Stops it whatever its state (for `defer`).
    func stop() { ChildProcess.stop(process) }

    deinit { stop() }
}
