import ArgumentParser
import Foundation
import NLSProbeCore
import NLSReporting

extension NLSProbe {
    struct Merge: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "merge",
            abstract: "One report and one matrix from runs of a profile on several hosts.",
            discussion: """
                Each host's measured checks are kept, marked with the host; a skipped check only where no host \
                ran its cell. A report given twice (the same run) is merged once, with a warning. Reports of \
                different profiles, or of different versions of one profile, are refused unless \
                --allow-profile-change. With --expect-hosts FILE (one probe host per line: NAME [ADDRESS] \
                [sources=GROUP,…] [problem=TEXT]), a host that gave no report is named, and the cells only it \
                would have measured are not measured (inconclusive, never pass); one report is then enough. \
                Exit status: the merged report's verdict (0 pass, 1 fail, 2 \
                inconclusive), 64 for reports that cannot be merged.
                """)

        @Argument(help: "JSON reports of the same profile.")
        var reports: [String]

        @Option(help: "Folder the merged reports are written to.")
        var output = "Reports"

        @Option(help: "Report formats, comma-separated: json, md, junit, prom, html, csv, jira.")
        var format = "json,md"

        @Flag(help: "Merge reports of different profiles, or of different versions of one profile.")
        var allowProfileChange = false

        @Option(
            help: ArgumentHelp(
                "The probe hosts of the fleet, one per line: NAME [ADDRESS] [sources=GROUP,…] [problem=TEXT].",
                valueName: "file"))
        var expectHosts: String?

        func run() throws {
            let expected: ExpectedHosts?
            do {
                expected = try expectHosts.map { path throws(ExpectedHostsError) in try ExpectedHosts.read(path: path) }
            } catch {
                printError(error.description)
                throw ExitCode(Exit.usage)
            }
            let read = try exitingOnBadReports {
                try reports.map { path throws(ReportError) in try JSONReport.read(path: path) }
            }
            let merge: ReportMerge
            do throws(FleetMergeError) {
                merge = try FleetMerge.merging(
                    read, files: reports, expected: expected, allowProfileChange: allowProfileChange)
            } catch {
                printError(error.description)
                throw ExitCode(Exit.usage)
            }
            let merged = merge.report
            let formats: [ReportFormat]
            do {
                formats = try ReportFormat.list(format)
            } catch {
                throw ValidationError("--format \(error.description)")
            }
            for warning in merge.warnings { printError("warning: " + warning) }
            for host in merge.hosts {
                let sources =
                    host.sources.isEmpty ? "nothing (every check skipped)" : host.sources.joined(separator: ", ")
                print(
                    TerminalText.line(
                        "measured by \(host.host) (\(host.files.joined(separator: ", "))): \(host.cells.count) "
                            + "cell\(host.cells.count == 1 ? "" : "s") from \(sources)"))
            }
            for line in FleetMerge.silentHostLines(merged) { print(TerminalText.line(line)) }
            do {
                try AtomicFile.ensureDirectory(output)
                for name in OutputFolder.removeStaleTemporaryFiles(in: output) {
                    printError("note: removed \(output)/\(name), left behind by an nlsprobe that was killed mid-write")
                }
                // The profile name and the time come from the files: made safe, the files land in --output.
                let stamp = merged.run.finished.replacingOccurrences(of: "-", with: "").replacingOccurrences(
                    of: ":", with: "")
                for format in formats {
                    let path = FileNames.path(
                        in: output, parts: [merged.profile.name, "merged", stamp], suffix: ".\(format.fileExtension)")
                    try ReportRenderer.write(merged, as: format, to: path)
                    print("report: " + TerminalText.line(path))
                }
            } catch {
                printError(error.description)
                throw ExitCode(Exit.internalError)
            }
            print(TerminalText.line(FleetMerge.verdictLine(merged)))
            throw ExitCode(Exit.code(for: merged.summary.verdict))
        }
    }
}
