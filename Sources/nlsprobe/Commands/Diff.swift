import ArgumentParser
import Foundation
import NLSProbeCore
import NLSReporting

extension NLSProbe {
    struct Diff: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "diff",
            abstract: "What a change broke, fixed and left alone: two JSON reports compared cell by cell.",
            discussion: """
                A cell is a source group (and subnet), a destination host, a protocol and port, and a path \
                (direct or a proxy); it holds one check per address the name resolved to. Cells are compared, \
                checks within a cell are paired by address, and address changes are reported as such.

                Exit status: 1 when a cell regressed or a new cell fails; 2 when nothing regressed but a cell \
                measured before was not measured after (or is inconclusive now); 0 otherwise; 64 for reports \
                that cannot be compared.
                """)

        @Argument(help: "The report before the change.")
        var before: String

        @Argument(help: "The report after the change.")
        var after: String

        @Option(help: "md or json.")
        var format = "md"

        @Flag(help: "Compare reports of different profiles, or of different versions of one profile.")
        var allowProfileChange = false

        func validate() throws {
            guard format == "md" || format == "json" else {
                throw ValidationError("--format '\(format)' is not one of: md, json")
            }
        }

        func run() throws {
            let diff = try exitingOnBadReports {
                try ReportDiff.compare(
                    try JSONReport.read(path: before), try JSONReport.read(path: after),
                    allowProfileChange: allowProfileChange, files: (before, after))
            }
            if format == "json" {
                let encoder = JSONEncoder()
                encoder.keyEncodingStrategy = .convertToSnakeCase
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                print(String(decoding: try encoder.encode(diff), as: UTF8.self))
            } else {
                print(diff.markdown(), terminator: "")
            }
            switch diff.outcome {
            case .regression: throw ExitCode(Exit.fail)
            case .inconclusive: throw ExitCode(Exit.inconclusive)
            case .noRegression: break
            }
        }
    }
}
