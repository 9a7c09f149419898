import ArgumentParser
import Foundation
import NLSProbeCore
import NLSProbeEngine
import NLSProbeRun
import NLSReporting

extension NLSProbe {
    struct ReportCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "report", abstract: "Render a JSON report again in another format.")

        @Argument(help: "A JSON report written by nlsprobe run.")
        var file: String

        @Option(help: "The format: md, json, junit, prom, html, csv or jira.")
        var format: String = "md"

        @Option(help: "Write to this file (atomically) instead of standard output.")
        var output: String?

        func run() throws {
            guard let format = ReportFormat(rawValue: format) else {
                throw ValidationError("--format \(ReportFormatError(name: format).description)")
            }
            let report: Report
            do {
                report = try JSONReport.read(path: file)
            } catch {
                printError(error.description)
                throw ExitCode(Exit.usage)
            }
            try CommandOutput.write(ReportRenderer.render(report, as: format), to: output)
        }
    }
}
