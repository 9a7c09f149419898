import Foundation
import NLSProbeCore
import NLSReporting
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A loopback socket that listens and never accepts: the kernel completes the TCP handshake, nobody
/// answers TLS. A pending connection is the sign that a check has started.
final class SilentListener {
    let fd: Int32
    let port: Int

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            close(fd)
            throw LabError(description: "cannot listen on loopback: errno \(errno)")
        }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        self.fd = fd
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    /// True once a connection waits to be accepted, within `milliseconds`.
    func hasPendingConnection(within milliseconds: Int32) -> Bool {
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&poller, 1, milliseconds) > 0
    }

    deinit { close(fd) }
}

/// The nlsprobe executable as a child process with its output in files; killed if still running at the end.
final class Child {
    let process = Process()
    let stdoutPath: String
    let stderrPath: String

    init(_ arguments: [String], in folder: String, environment: [String: String] = [:]) throws {
        stdoutPath = folder + "/stdout-\(UUID().uuidString.prefix(6))"
        stderrPath = folder + "/stderr-\(UUID().uuidString.prefix(6))"
        _ = FileManager.default.createFile(atPath: stdoutPath, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        process.executableURL = URL(fileURLWithPath: nlsprobeExecutable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: stdoutPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
        try process.run()
    }

    /// Waits (bounded) for the exit; the status, or nil when it is still running.
    func wait(seconds: Double) -> Int32? {
        ChildProcess.waitForExit(process, timeout: seconds)
    }

    var standardError: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }
    var standardOutput: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}

/// Signals, unwritable outputs, hostile report files and names, end to end through the executable. Needs no root.
@Suite final class SafetyCommandLineTests: Sendable {
    let folder: String

    init() throws {
        folder =
            FileManager.default.temporaryDirectory.appendingPathComponent("nlsprobe-safety-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: folder) }

    func write(_ text: String, _ name: String) throws -> String {
        let path = folder + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func write(_ report: Report, _ name: String) throws -> String {
        let path = folder + "/" + name
        try JSONReport.encode(report).write(to: URL(fileURLWithPath: path))
        return path
    }

    func files(in directory: String, ending: String = "") -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(ending) }
            .sorted().map { directory + "/" + $0 }
    }

    /// Every file under `directory`, recursively, relative to it.
    func tree(_ directory: String) -> Set<String> {
        Set(FileManager.default.enumerator(atPath: directory)?.allObjects.compactMap { $0 as? String } ?? [])
    }

    func profile(port: Int, name: String = "cli-test", proto: String = "tls", expect: String = "allow") -> String {
        """
        profile: \(name)
        title: safety test
        sources:
          here: {}
        destinations:
          target:
            hosts: [127.0.0.1]
        flows:
          - {port: \(port), protocol: \(proto), direction: egress, from: here, to: target, expect: \(expect)}
        defaults:
          connect_timeout: 1s
          tls_timeout: 60s
          attempts: 1
        """
    }

    /// A report from the golden file, as other hosts and tools hand them over.
    func goldenReport() throws -> Report {
        try JSONReport.read(
            path: repositoryRoot.appendingPathComponent("Tests/NLSReportingTests/Golden/report.json").path)
    }

    /// SIGTERM (systemd, Kubernetes, `timeout`) and SIGHUP end the run like Ctrl-C: the report is
    /// written, unfinished checks are inconclusive, the exit status is the verdict's (2).
    @Test(arguments: [SIGTERM, SIGHUP]) func signalKeepsWhatWasMeasured(signal: Int32) throws {
        let listener = try SilentListener()
        let path = try write(profile(port: listener.port), "slow.yaml")
        let output = folder + "/out-\(signal)"
        let child = try Child(["run", path, "--output", output], in: folder)
        // Ready when the check's TCP handshake is done and it waits for the ServerHello.
        #expect(listener.hasPendingConnection(within: 20_000), "the check never connected: \(child.standardError)")
        let sent = Date()
        kill(child.process.processIdentifier, signal)
        let status = child.wait(seconds: 10)
        #expect(Date().timeIntervalSince(sent) < 5)
        #expect(status == 2, "exit \(String(describing: status)): \(child.standardError)")
        let name = signal == SIGTERM ? "SIGTERM" : "SIGHUP"
        #expect(child.standardError.contains("\(name) received; finishing the reports"), "\(child.standardError)")
        let report = try JSONReport.read(path: try #require(files(in: output, ending: ".json").first))
        #expect(report.run.interrupted)
        #expect(report.checks.first?.verdict == .inconclusive)
        #expect(report.checks.first?.reason == "interrupted before the check finished")
        #expect(files(in: output, ending: ".md").count == 1)
    }

    /// An output folder that cannot take reports stops the run before anything is sent (exit 70).
    @Test func unwritableOutputFailsBeforeTheFirstProbe() throws {
        let listener = try SilentListener()
        let path = try write(profile(port: listener.port), "unwritable.yaml")
        let file = try write("not a folder", "regular-file")
        for output in [file + "/reports", file] {
            let child = try Child(["run", path, "--output", output], in: folder)
            let status = child.wait(seconds: 20)
            #expect(status == 70, "\(child.standardError)")
            #expect(child.standardError.contains("the output folder cannot take reports"), "\(child.standardError)")
            #expect(!listener.hasPendingConnection(within: 0), "a probe was sent before the output was checked")
        }
    }

    /// When the output breaks during the run, the JSON report is saved to $TMPDIR and its path printed.
    @Test func reportGoesToTheFallbackWhenTheOutputBreaksMidRun() throws {
        let listener = try SilentListener()
        let path = try write(profile(port: listener.port), "fallback.yaml")
        let output = folder + "/out"
        let fallback = folder + "/tmp"
        try FileManager.default.createDirectory(atPath: fallback, withIntermediateDirectories: true)
        let child = try Child(["run", path, "--output", output], in: folder, environment: ["TMPDIR": fallback])
        #expect(listener.hasPendingConnection(within: 20_000), "the check never connected: \(child.standardError)")
        // The folder passed the check before the probe; now it is a regular file.
        try FileManager.default.removeItem(atPath: output)
        #expect(FileManager.default.createFile(atPath: output, contents: Data("in the way".utf8)))
        kill(child.process.processIdentifier, SIGTERM)
        let status = child.wait(seconds: 10)
        #expect(status == 70, "\(child.standardError)")
        let saved = try #require(files(in: fallback, ending: ".json").first, "\(child.standardError)")
        #expect(child.standardError.contains("it was saved to \(saved) instead"), "\(child.standardError)")
        #expect(child.standardOutput.contains("report: \(saved)"))
        #expect(try JSONReport.read(path: saved).run.interrupted)
    }

    /// Temporary files a killed nlsprobe left behind are removed on the next run into that folder;
    /// files of any other pattern, and of live processes, stay.
    @Test func staleTemporaryFilesAreRemovedByTheNextRun() throws {
        let path = try write(profile(port: 9, proto: "tcp", expect: "block"), "quick.yaml")
        let output = folder + "/stale"
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        let finished = Process()
        finished.executableURL = URL(fileURLWithPath: "/bin/true")
        try finished.run()
        finished.waitUntilExit()
        let dead = finished.processIdentifier
        let stale = ".cli-test-20261129T100000Z.json.\(dead).tmp"
        let kept = [".cli-test.json.1.tmp", ".notes.txt.\(dead).tmp", "keep.json"]
        let old = Date().addingTimeInterval(-2 * Double(OutputFolder.staleAfterSeconds))
        for name in [stale] + kept {
            #expect(
                FileManager.default.createFile(
                    atPath: output + "/" + name, contents: nil, attributes: [.modificationDate: old]))
        }
        let result = try run([nlsprobeExecutable, "run", path, "--output", output, "--quiet"], allowFailure: true)
        #expect(result.status == 0, "\(result.output)")
        let left = Set(((try? FileManager.default.contentsOfDirectory(atPath: output)) ?? []))
        #expect(!left.contains(stale))
        #expect(Set(kept).isSubset(of: left))
        #expect(result.output.contains("removed \(output)/\(stale)"))
    }

    /// A profile name from a report file cannot lead the merged reports out of --output.
    @Test func mergeNeverWritesOutsideTheOutputFolder() throws {
        var report = try goldenReport()
        report.profile.name = "../../../escaped"
        report.run.finished = "../../../../stamp"
        let one = try write(report, "one.json")
        report.run.host = "probe-02"
        let two = try write(report, "two.json")
        let output = folder + "/a/b/out"
        let before = tree(folder)
        let result = try run(
            [nlsprobeExecutable, "merge", one, two, "--output", output, "--format", "json,md,junit,prom"],
            allowFailure: true)
        #expect(result.status == 1, "\(result.output)")
        let created = tree(folder).subtracting(before)
        #expect(created.allSatisfy { $0.hasPrefix("a/b/out") || $0 == "a" || $0 == "a/b" }, "\(created)")
        #expect(files(in: output).count == 4, "\(created)")
        for file in files(in: output) {
            #expect((file as NSString).lastPathComponent.hasPrefix("_._.._.._escaped-merged-"))
        }
    }

    /// Huge numbers in a report file used to trap `report --format md` and `merge` (SIGILL).
    @Test func hugeNumbersInAReportFileDoNotCrash() throws {
        var report = try goldenReport()
        report.checks[0].timingsMs.total = 1e300
        report.checks[1].timingsMs.connect = 9.3e18
        report.checks[2].evidence.http = HTTPEvidence(status: 200, clockSkewS: -1e300)
        let path = try write(report, "huge.json")
        for format in ["md", "junit", "prom", "json"] {
            let result = try run([nlsprobeExecutable, "report", path, "--format", format], allowFailure: true)
            #expect(result.status == 0, "\(format): \(result.output)")
        }
        let merged = try run(
            [
                nlsprobeExecutable, "merge", path, path, "--output", folder + "/merged", "--format",
                "json,md,junit,prom",
            ],
            allowFailure: true)
        #expect(merged.status == 1, "\(merged.output)")
        let diff = try run([nlsprobeExecutable, "diff", path, path], allowFailure: true)
        #expect(diff.status == 0, "\(diff.output)")
    }

    /// A file's summary is not trusted: "Verdict: PASS" over failed checks reads as FAIL.
    @Test func reportRecomputesTheSummary() throws {
        var report = try goldenReport()
        report.summary = Summary([.pass])
        let path = try write(report, "lying.json")
        let result = try run([nlsprobeExecutable, "report", path, "--format", "md"], allowFailure: true)
        #expect(result.status == 0)
        #expect(result.output.contains("**Verdict: FAIL**: 5 checks, 1 passed, 3 failed"), "\(result.output)")
    }

    /// A folder or a device given as a report: a plain message, exit 64.
    @Test func specialFilesAsReportsGetPlainMessages() throws {
        let cases = [
            (folder, "it is a folder, not a report file"),
            ("/dev/null", "it is not a regular file (a device, pipe or socket)"),
            (folder + "/missing.json", "no such file or folder"),
        ]
        for (path, message) in cases {
            let result = try run([nlsprobeExecutable, "report", path], allowFailure: true)
            #expect(result.status == 64)
            #expect(result.output.contains("\(path): cannot read the report: \(message)"), "\(result.output)")
            #expect(!result.output.contains("permission"))
        }
    }

    /// What a server sent (escape sequences, table breakers, HTML) never reaches the terminal raw,
    /// through `report`, `diff` and the error messages of `merge`.
    @Test func hostileTextNeverReachesTheTerminal() throws {
        let hostile = "\u{1B}]0;owned\u{07}\u{1B}[2J|<script>\u{202E}\u{9B}"
        var report = try goldenReport()
        report.checks[1].reason = "no answer \(hostile)"
        report.checks[2].evidence.http = HTTPEvidence(status: 502, server: "haproxy \(hostile)", via: hostile)
        report.run.host = "probe \(hostile)"
        let path = try write(report, "hostile.json")
        report.profile.name = "other \(hostile)"
        let other = try write(report, "other.json")
        let outputs = [
            try run([nlsprobeExecutable, "report", path, "--format", "md"], allowFailure: true),
            try run([nlsprobeExecutable, "report", path, "--format", "junit"], allowFailure: true),
            try run([nlsprobeExecutable, "report", path, "--format", "prom"], allowFailure: true),
            try run([nlsprobeExecutable, "diff", path, path], allowFailure: true),
            try run([nlsprobeExecutable, "merge", path, other, "--output", folder + "/m"], allowFailure: true),
        ]
        for result in outputs {
            #expect(!result.output.contains("\u{1B}") && !result.output.contains("\u{07}"), "\(result.output)")
            #expect(!result.output.contains("\u{202E}") && !result.output.contains("\u{9B}"))
        }
        #expect(outputs[0].output.contains("502 answered by the service, Server: haproxy \\\\u{1B}\\]0;owned"))
        #expect(outputs[0].output.contains("\\|&lt;script&gt;"), "\(outputs[0].output)")
        #expect(outputs[4].status == 64)
        #expect(outputs[4].output.contains("other \\u{1B}]0;owned"), "\(outputs[4].output)")
        // The JSON keeps what was sent, byte for byte.
        let json = try run([nlsprobeExecutable, "report", path, "--format", "json"], allowFailure: true)
        #expect(
            try JSONReport.decode(Data(json.output.utf8), path: "stdout").checks[1].reason == "no answer \(hostile)")
    }
}
