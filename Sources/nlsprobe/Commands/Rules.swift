import ArgumentParser
import Foundation
import NLSChangeRequest
import NLSProbeCore
import NLSReporting

extension NLSProbe {
    struct Rules: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rules",
            abstract: "The firewall rules still missing: what to change so that every failed cell of a report passes.",
            discussion: """
                Allow rules for expect: allow checks that failed at the network (filtered, unreachable, refused \
                by a middlebox, proxy-denied), deny rules for expect: block checks that connected; aggregated per \
                source, destinations and merged port ranges, each citing the checks it fixes. Failures no rule fixes \
                (DNS, certificates, TLS inspection, proxy credentials, a service that is down) are listed apart \
                with their hint. --format nft writes nftables commands that insert the rules at the head of an \
                existing chain (--nft-table "FAMILY NAME" --nft-chain NAME), applied with nft -f FILE.
                """)

        @Argument(help: "A JSON report written by nlsprobe run.")
        var report: String

        @Option(help: "md, csv, json or nft.")
        var format = "md"

        @Option(
            help: ArgumentHelp("The nftables table for --format nft, e.g. \"inet filter\".", valueName: "family name"))
        var nftTable: String?

        @Option(help: "The existing chain of --nft-table the rules are inserted at the head of, e.g. forward.")
        var nftChain: String?

        @Option(help: "Write to this file (atomically) instead of standard output.")
        var output: String?

        func validate() throws {
            guard let chosen = RulesFormat(rawValue: format) else {
                throw ValidationError("--format '\(Excerpt.quote(format))' is not one of: md, csv, json, nft")
            }
            if chosen == .nft {
                _ = try target()
            } else if nftTable != nil || nftChain != nil {
                throw ValidationError("--nft-table and --nft-chain go with --format nft")
            }
        }

        func target() throws -> NftTarget {
            guard let nftTable, let nftChain else {
                throw ValidationError(
                    "--format nft needs --nft-table \"FAMILY NAME\" and --nft-chain NAME: the existing chain the rules are inserted into"
                )
            }
            do {
                return try NftTarget(table: nftTable, chain: nftChain)
            } catch {
                throw ValidationError(error.description)
            }
        }

        func run() throws {
            let loaded = try exitingOnBadReports { try JSONReport.read(path: report) }
            let rules = RuleDeriver.derive(from: loaded) { Hints.hint(for: $0, profile: loaded.profile) }
            let text: String
            switch RulesFormat(rawValue: format) ?? .markdown {
            case .markdown: text = RulesMarkdown.render(rules)
            case .csv: text = RulesCSV.render(rules)
            case .json: text = RulesJSON.render(rules)
            case .nft: text = RulesNftables.render(rules, target: try target())
            }
            try CommandOutput.write(text, to: output)
        }
    }
}
