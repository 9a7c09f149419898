import Foundation
import NLSProbeCore
import NLSReporting
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Reports are never overwritten: runs started together into one folder each keep every file they
/// wrote, under names no other run writes, and print them all (the capture file included).
/// Loopback only; the capture variant captures when it can (root) and says why not otherwise.
@Suite struct ParallelRunTests {
    /// A scratch folder of this test's own, removed with it.
    let scratch: TemporaryFolder
    var folder: URL { scratch.url }

    init() throws { scratch = try TemporaryFolder() }

    func profile(port: UInt16) throws -> String {
        let path = folder.appendingPathComponent("par.yaml").path
        try """
        profile: par-test
        title: parallel runs
        sources:
          here: {}
        destinations:
          target:
            hosts: [127.0.0.1]
        flows:
          - {port: \(port), protocol: tcp, direction: egress, from: here, to: target, expect: allow}
          - {port: 9, protocol: tcp, direction: egress, from: here, to: target, expect: block}
        defaults:
          connect_timeout: 1s
          attempts: 1
        """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Starts every argument list at once and waits for all (bounded: 60 s each).
    func together(_ runs: [[String]]) throws -> [(status: Int32, output: String)] {
        var processes: [(Process, URL)] = []
        defer {
            for (process, log) in processes {
                if process.isRunning { kill(process.processIdentifier, SIGKILL) }
                try? FileManager.default.removeItem(at: log)
            }
        }
        for arguments in runs {
            let log = folder.appendingPathComponent("log-\(UUID().uuidString)")
            FileManager.default.createFile(atPath: log.path, contents: nil)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: nlsprobeExecutable)
            process.arguments = arguments
            let handle = try FileHandle(forWritingTo: log)
            process.standardOutput = handle
            process.standardError = handle
            processes.append((process, log))
        }
        for (process, _) in processes { try process.run() }
        var results: [(Int32, String)] = []
        for (process, log) in processes {
            guard let status = ChildProcess.waitForExit(process, timeout: 60) else {
                throw LabError(description: "a parallel run did not finish in 60 s")
            }
            results.append((status, (try? String(contentsOf: log, encoding: .utf8)) ?? ""))
        }
        return results
    }

    /// The files a run printed, by label ("report", "capture").
    func printed(_ output: String, _ label: String) -> [String] {
        output.split(separator: "\n").filter { $0.hasPrefix("\(label): ") }.map {
            String($0.dropFirst(label.count + 2))
        }
    }

    /// Checks one run's printed files: they exist, its JSON and Markdown share one base name, and
    /// the Markdown is exactly what its own JSON renders to (not another run's).
    func expectComplete(_ result: (status: Int32, output: String)) throws -> String {
        #expect(result.status == 0, "\(result.output)")
        let reports = printed(result.output, "report")
        let json = try #require(reports.first { $0.hasSuffix(".json") }, "\(result.output)")
        let markdown = try #require(reports.first { $0.hasSuffix(".md") }, "\(result.output)")
        let base = String(json.dropLast(".json".count))
        #expect(markdown == base + ".md")
        let report = try JSONReport.read(path: json)
        #expect(report.checks.count == 2)
        #expect(report.summary.verdict == .pass)
        #expect(try String(contentsOfFile: markdown, encoding: .utf8) == MarkdownReport.render(report))
        if let capture = printed(result.output, "capture").first {
            #expect(capture == base + ".pcap", "the capture is not beside its own run's reports")
            #expect(report.run.capture == capture)
            #expect(FileManager.default.fileExists(atPath: capture))
        } else {
            #expect(report.run.capture == nil)
        }
        return base
    }

    @Test func twoRunsIntoOneFolderKeepBothReports() throws {
        let listener = try LoopbackListener()
        defer { listener.close() }
        let path = try profile(port: listener.port)
        let output = folder.appendingPathComponent("out").path
        for round in 0..<3 {
            let results = try together([
                ["run", path, "--output", output], ["run", path, "--output", output],
            ])
            let bases = try results.map(expectComplete)
            #expect(Set(bases).count == 2, "round \(round): both runs wrote \(bases)")
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: output)
        #expect(files.filter { $0.hasSuffix(".json") }.count == 6, "\(files)")
        #expect(files.filter { $0.hasSuffix(".md") }.count == 6, "\(files)")
        #expect(!files.contains { $0.hasPrefix(".") }, "claims or temporary files left behind: \(files)")
    }

    /// `--capture` and `--capture-interface eth99` side by side: the capture (when this host can
    /// capture) sits beside the Markdown of its own run; the other run says why it has none.
    @Test func captureVariantsInParallelStayWithTheirRun() throws {
        let listener = try LoopbackListener()
        defer { listener.close() }
        let path = try profile(port: listener.port)
        let output = folder.appendingPathComponent("cap").path
        let results = try together([
            ["run", path, "--output", output, "--capture"],
            ["run", path, "--output", output, "--capture-interface", "nlsp-eth99"],
        ])
        let bases = try results.map(expectComplete)
        #expect(Set(bases).count == 2)
        #expect(results[1].output.contains("capture off:"), "\(results[1].output)")
        #expect(printed(results[1].output, "capture").isEmpty)
        if LabPrivilege.isRoot {
            #expect(printed(results[0].output, "capture") == [bases[0] + ".pcap"], "\(results[0].output)")
        }
    }

    /// Two claims of the same profile and millisecond get different names; a written report is never
    /// replaced by a write that does not mean to.
    @Test func claimsInTheSameMillisecondGetASuffix() throws {
        let started = Date()
        let first = try RunFileNames.claim(folder: folder.path, profile: "same", started: started)
        let second = try RunFileNames.claim(folder: folder.path, profile: "same", started: started)
        #expect(first.base != second.base)
        #expect(second.base == first.base + "-2")
        try AtomicFile.write(Data("first\n".utf8), to: first.path(".json"), replace: false)
        #expect(throws: ReportError.self) {
            try AtomicFile.write(Data("second\n".utf8), to: first.path(".json"), replace: false)
        }
        #expect(try String(contentsOfFile: first.path(".json"), encoding: .utf8) == "first\n")
        first.release()
        second.release()
        // The name stays taken by the file written under it.
        let third = try RunFileNames.claim(folder: folder.path, profile: "same", started: started)
        #expect(third.base == first.base + "-2")
        third.release()
        let left = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix(".") }
        #expect(left.isEmpty, "\(left)")
    }
}

/// A TCP listener (loopback by default) the kernel completes handshakes for (nobody needs to accept).
final class LoopbackListener {
    let descriptor: Int32
    let port: UInt16

    init(bindTo host: String = "127.0.0.1") throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr(host)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0, listen(fd, 128) == 0 else {
            Glibc.close(fd)
            throw LabError(description: "cannot listen on \(host): errno \(errno)")
        }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        descriptor = fd
        port = UInt16(bigEndian: address.sin_port)
    }

    func close() { Glibc.close(descriptor) }
}
