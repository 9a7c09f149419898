import ArgumentParser
import Foundation
import NLSChangeRequest
import NLSProbeCore
import NLSReporting

extension NLSProbe.ProfileCommand {
    struct FromTable: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "from-table",
            abstract: "Print a profile for a firewall change-request table (CSV, TSV or Markdown).",
            discussion: """
                The table has the columns of the NVIDIA licensing documentation, in the usual spellings: \
                Port | Protocol | Eg-/Ingress | Service | Source | Destination (and optionally Expect, Note). \
                Ports are numbers, lists or ranges; Source and Destination are subnets, addresses, host names \
                or names defined in a second table (Name | Subnets/hosts) or with --define. Every problem is \
                reported as FILE:row:column, all at once (exit 64).
                """)

        @Argument(help: "The change-request table: .csv, .tsv or .md (a ticket's Markdown table).")
        var file: String

        @Option(help: "Ports whose TCP rows are checked with a TLS handshake, e.g. 443,8082.")
        var tlsPorts: String?

        @Option(
            help: ArgumentHelp(
                "A name the table uses, e.g. vdi=10.1.0.0/16 (repeatable).", valueName: "name=subnets/hosts"))
        var define: [String] = []

        @Option(help: "The profile identifier (default: made from the file name).")
        var name: String?

        @Option(help: "The profile's title.")
        var title: String?

        @Option(help: "csv, tsv or md (default: the file's extension, else its text).")
        var format: String?

        @Option(help: "Write the profile to this file (atomically) instead of standard output.")
        var output: String?

        func validate() throws {
            if let name, !ProfileLimits.isValidProfileName(name) {
                throw ValidationError(
                    "--name '\(Excerpt.quote(name))' must be 1 to \(ProfileLimits.maxNameLength) of a-z, 0-9 and '-'")
            }
            if let format, TableFormat(rawValue: format) == nil {
                throw ValidationError("--format '\(Excerpt.quote(format))' is not one of: csv, tsv, md")
            }
            _ = try ports()
        }

        func ports() throws -> Set<Int> {
            guard let tlsPorts else { return [] }
            switch PortList.parse(tlsPorts) {
            case .success(let ranges): return Set(ranges.flatMap { Array($0) })
            case .failure(let error): throw ValidationError("--tls-ports: \(error.message)")
            }
        }

        func run() throws {
            let options = TableProfileOptions(
                name: name, title: title, tlsPorts: try ports(), defines: define,
                format: format.flatMap(TableFormat.init(rawValue:)))
            let made: TableProfile
            do {
                made = try TableProfileBuilder.build(path: file, options: options)
            } catch {
                printError(error.description)
                throw ExitCode(Exit.usage)
            }
            try CommandOutput.write(made.yaml, to: output)
        }
    }
}
