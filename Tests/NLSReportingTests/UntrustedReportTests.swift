import Foundation
import NLSProbeCore
import Testing

@testable import NLSReporting

#if canImport(Glibc)
    import Glibc
#endif

/// A fresh folder under the temporary directory, removed by the caller.
func scratchFolder(_ label: String) throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("nlsprobe-\(label)-\(UUID().uuidString)")
        .path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// The id of a process that has exited and been reaped.
func deadProcessID() throws -> pid_t {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/true")
    try process.run()
    process.waitUntilExit()
    return process.processIdentifier
}

/// Report files are untrusted: numbers, names, summaries, sizes and file types.
@Suite struct UntrustedReportTests {
    /// Huge whole numbers used to trap with "Double value cannot be converted to Int".
    @Test(arguments: [1e300, -1e300, 9.3e18, Double.greatestFiniteMagnitude, 0x1p63])
    func hugeNumbersRenderInEveryFormat(value: Double) throws {
        var report = fixedReport()
        report.checks[0].timingsMs.total = value
        report.checks[0].timingsMs.tls = value
        report.checks[1].timingsMs.total = value
        report.checks[2].evidence.http?.clockSkewS = value
        report.run.clockSkewLimitS = 1
        report.flows[0].index = Int.max
        report.checks[0].flow.index = Int.max
        // Through the JSON text, as `report` and `merge` read it.
        let decoded = try JSONReport.decode(JSONReport.encode(report), path: "memory")
        for format in ReportFormat.allCases { _ = ReportRenderer.render(decoded, as: format) }
        let markdown = MarkdownReport.render(decoded)
        #expect(markdown.contains("## Clock skew"))
        let merged = try ReportMerge.merge([decoded, decoded])
        for format in ReportFormat.allCases { _ = ReportRenderer.render(merged, as: format) }
        _ = TerminalReport(color: true, quiet: false).render(merged, paths: [])
        _ = try ReportDiff.compare(fixedReport(), decoded).markdown()
        let junit = JUnitReport.render(decoded)
        #expect(!junit.contains("inf") && !junit.contains("nan"))
    }

    @Test func nonFiniteNumbersStayValid() {
        #expect(UntrustedNumber.int(.nan) == nil)
        #expect(UntrustedNumber.int(.infinity) == nil)
        #expect(UntrustedNumber.int(9.3e18) == nil)
        #expect(UntrustedNumber.int(-12.7) == -12)
        #expect(UntrustedNumber.text(1e300) == "1e+300")
        #expect(UntrustedNumber.text(20) == "20")
        #expect(UntrustedNumber.ordinal(Int.max) == "\(Int.max)+1")
        #expect(UntrustedNumber.seconds(milliseconds: .infinity) == "0.000")
        #expect(PrometheusText.sampleValue(.nan) == "NaN")
        #expect(PrometheusText.sampleValue(-.infinity) == "-Inf")
        #expect(PrometheusText.sampleValue(1e300) == "1e+300")
        var report = fixedReport()
        report.checks[0].timingsMs.total = .infinity
        let json = JSONReport.encode(report)
        #expect(throws: Never.self) { try JSONReport.decode(json, path: "memory") }
    }

    @Test(arguments: [
        ("../../../../tmp/x", "_._.._.._.._tmp_x"), ("..", "_."), (".", "_"), ("", "unnamed"), ("/", "_"),
        ("cls", "cls"), ("a b\u{1B}[2J", "a_b__2J"), ("dls-ha_1.2", "dls-ha_1.2"), ("é", "_"),
    ])
    func safeComponent(name: String, expected: String) {
        #expect(FileNames.safeComponent(name) == expected)
    }

    @Test func safeComponentIsBoundedAndNeverTraverses() {
        let long = FileNames.safeComponent(String(repeating: "x", count: 10_000))
        #expect(long.utf8.count == FileNames.maximumLength)
        for name in ["../a", "a/../../b", "..", "....", "\u{0}", "a/b", String(repeating: "../", count: 50)] {
            let safe = FileNames.safeComponent(name)
            #expect(!safe.contains("/") && !safe.hasPrefix(".") && !safe.isEmpty && safe != "..")
        }
        #expect(
            FileNames.path(in: "/out", parts: ["../../etc/passwd", "20261129"], suffix: ".json")
                == "/out/_._.._etc_passwd-20261129.json")
    }

    @Test func credentialsInURLsAreNeverRendered() {
        #expect(Credentials.redacted("http://user:S3cr3t@proxy.test:3128") == "http://***@proxy.test:3128")
        for password in ["P#S3cr3t", "P/S3cr3t", "P?S3cr3t"] {
            #expect(Credentials.redacted("http://user:\(password)@proxy.test:3128") == "http://***@proxy.test:3128")
        }
        #expect(
            Credentials.redacted("via socks5h://a@b@h:1080/x and https://u:p@q/")
                == "via socks5h://***@h:1080/x and https://***@q/")
        #expect(
            Credentials.redacted("http://proxy.test:3128 mail@example.test")
                == "http://proxy.test:3128 mail@example.test")
        var report = fixedReport()
        report.run.proxy = "http://user:S3cr3t@proxy.test:3128"
        report.checks[1].proxy = "http://user:S3cr3t@proxy.test:3128"
        report.checks[1].evidence.proxy = ProxyEvidence(url: "http://user:S3cr3t@proxy.test:3128")
        for format in ReportFormat.allCases where format != .json {
            #expect(
                !String(decoding: ReportRenderer.render(report, as: format), as: UTF8.self).contains("S3cr3t"),
                "\(format)")
        }
    }

    /// "Verdict: PASS" over failed checks: the summary is recomputed whenever a report is read.
    @Test func summaryIsRecomputedOnRead() throws {
        var report = fixedReport()
        report.summary = Summary([.pass, .pass])
        let decoded = try JSONReport.decode(JSONReport.encode(report), path: "memory")
        #expect(decoded.summary == fixedReport().summary)
        #expect(decoded.summary.verdict == .fail)
        #expect(MarkdownReport.render(decoded).contains("**Verdict: FAIL**"))
    }

    @Test func specialFilesGetPlainMessages() throws {
        let folder = try scratchFolder("special")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        func reason(_ path: String) -> String {
            do {
                _ = try JSONReport.read(path: path)
                return "read"
            } catch {
                if case .unreadable(_, let reason) = error { return reason }
                return error.description
            }
        }
        #expect(reason(folder) == "it is a folder, not a report file")
        let fifo = folder + "/fifo.json"
        #expect(mkfifo(fifo, 0o600) == 0)
        #expect(reason(fifo) == "it is not a regular file (a device, pipe or socket)")
        #expect(reason("/dev/zero") == "it is not a regular file (a device, pipe or socket)")
        #expect(reason(folder + "/missing.json") == "no such file or folder")
        let big = folder + "/big.json"
        try Data(repeating: 0x20, count: 4096).write(to: URL(fileURLWithPath: big))
        #expect(
            throws: ReportError.unreadable(path: big, reason: "it is larger than the 0 MiB limit for a report file")
        ) {
            try JSONReport.bytes(path: big, limit: 1024)
        }
        #expect(try JSONReport.bytes(path: big, limit: 4096).count == 4096)
        #expect(JSONReport.maximumFileSize == 256 << 20)
    }

    @Test func staleTemporaryFilesOfOurOwnPatternOnly() throws {
        let folder = try scratchFolder("stale")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let dead = try deadProcessID()
        let stale = [".cls-20261129T100000Z.json.\(dead).tmp", ".cls.prom.\(dead).tmp", ".x.junit.xml.\(dead).tmp"]
        let kept = [
            ".cls.json.1.tmp",  // pid 1 is alive
            ".notes.txt.\(dead).tmp", ".cls.json.abc.tmp", "cls.json.\(dead).tmp", ".json.\(dead).tmp",
            "report.json", ".cls.json.\(dead).tmp.bak",
        ]
        let old = Date().addingTimeInterval(-2 * Double(OutputFolder.staleAfterSeconds))
        for name in stale + kept {
            #expect(
                FileManager.default.createFile(
                    atPath: folder + "/" + name, contents: nil, attributes: [.modificationDate: old]))
        }
        // A young one may belong to a live writer in another PID namespace (a shared volume): it stays.
        let young = ".cls-20261130T100000Z.json.\(dead).tmp"
        #expect(FileManager.default.createFile(atPath: folder + "/" + young, contents: nil))
        // A link of our pattern is not a file we wrote: it stays.
        let link = ".link.json.\(dead).tmp"
        #expect(symlink("/etc/hostname", folder + "/" + link) == 0)
        let removed = OutputFolder.removeStaleTemporaryFiles(in: folder)
        #expect(Set(removed) == Set(stale))
        let left = try FileManager.default.contentsOfDirectory(atPath: folder)
        #expect(Set(left) == Set(kept + [link, young]))
    }

    @Test func atomicWriteNeverFollowsALinkAtItsTemporaryName() throws {
        let folder = try scratchFolder("link")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let target = folder + "/target"
        try Data("keep".utf8).write(to: URL(fileURLWithPath: target))
        #expect(symlink(target, folder + "/" + AtomicFile.temporaryName(for: "r.json")) == 0)
        try AtomicFile.write(Data("report".utf8), to: folder + "/r.json")
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "keep")
        #expect(try String(contentsOfFile: folder + "/r.json", encoding: .utf8) == "report")
    }

    @Test func outputFolderUnderARegularFileIsRefused() throws {
        let folder = try scratchFolder("under-file")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = folder + "/file"
        #expect(FileManager.default.createFile(atPath: file, contents: Data("x".utf8)))
        #expect(throws: ReportError.folderUnusable(path: file, reason: "it is a file, not a folder")) {
            try OutputFolder.prepare(file)
        }
        #expect(throws: ReportError.folderUnusable(path: file + "/out", reason: SystemErrorText.describe(ENOTDIR))) {
            try OutputFolder.prepare(file + "/out")
        }
        try OutputFolder.prepare(folder + "/new/deeper")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder + "/new/deeper").isEmpty)
    }

    /// A read-only and a full file system (small tmpfs mounts; root only, skipped where mounts are refused).
    @Test(
        .enabled(
            if: getuid() == 0 || ProcessInfo.processInfo.environment["CI"] == "true",
            "needs root to mount small file systems (under CI=true it runs, and fails without root)"))
    func outputFolderReadOnlyOrFullIsRefused() throws {
        let folder = try scratchFolder("mounts")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let readOnly = folder + "/ro"
        let full = folder + "/full"
        try FileManager.default.createDirectory(atPath: readOnly, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: full, withIntermediateDirectories: true)
        guard mount("tmpfs", readOnly, "tmpfs", UInt(MS_RDONLY), "size=64k") == 0 else {
            // Under CI the mounts must work: a skipped check is not a passed one.
            if ProcessInfo.processInfo.environment["CI"] == "true" { Issue.record("mount refused: errno \(errno)") }
            return
        }
        defer { umount2(readOnly, Int32(MNT_DETACH)) }
        #expect(throws: ReportError.folderUnusable(path: readOnly, reason: "the file system is read-only")) {
            try OutputFolder.prepare(readOnly)
        }
        guard mount("tmpfs", full, "tmpfs", 0, "size=64k") == 0 else {
            // Under CI the mounts must work: a skipped check is not a passed one.
            if ProcessInfo.processInfo.environment["CI"] == "true" { Issue.record("mount refused: errno \(errno)") }
            return
        }
        defer { umount2(full, Int32(MNT_DETACH)) }
        let filler = open(full + "/filler", O_WRONLY | O_CREAT, 0o600)
        let block = [UInt8](repeating: 1, count: 4096)
        for _ in 0..<64 where block.withUnsafeBytes({ Glibc.write(filler, $0.baseAddress, $0.count) }) > 0 {}
        close(filler)
        #expect(throws: ReportError.folderUnusable(path: full, reason: "no space left on the device")) {
            try OutputFolder.prepare(full)
        }
    }
}
