import ArgumentParser
import Foundation
import NLSProbeCore
import NLSProbeEngine
import NLSProbeRun
import NLSReporting

extension NLSProbe {
    struct Plan: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "plan",
            abstract: "Show the checks a run would make from this host, without sending anything to the destinations.",
            discussion: "Names are resolved (as a run would); no packet goes to a destination."
        )

        @Argument(help: "The profile: a path or a built-in name.")
        var profile: String

        @OptionGroup var path: PathOptions

        func run() async throws {
            let settings = path.settings
            let plan = try await RunFailure.presenting {
                var messages: [RunMessage] = []
                defer { messages.forEach { printError($0.description) } }
                let options = try settings.options(messages: &messages)
                guard let profile = try ProfileCatalog.load([profile], maxChecks: options.maxChecks).first else {
                    throw ExitCode(Exit.usage)
                }
                try settings.checkSourceGroup(in: profile)
                try RunPlanning.checkSize(of: profile, options: options)
                return try await RunPlanning.plan(profile, options: options)
            }
            var lines = ["\(plan.profile.name): \(plan.profile.title)"]
            let local = plan.localAddresses.map(\.description).joined(separator: ", ")
            lines.append("this host: \(ProcessInfo.processInfo.hostName), addresses \(local.isEmpty ? "none" : local)")
            lines.append(
                "local source groups: \(plan.localSources.isEmpty ? "none" : plan.localSources.joined(separator: ", "))"
            )
            let runs = plan.checks.filter { $0.skipReason == nil }
            lines.append("\(plan.checks.count) checks: \(runs.count) to run, \(plan.checks.count - runs.count) skipped")
            for check in plan.checks {
                let from = check.sourceAddress ?? "any local address"
                let status: String
                if let skip = check.skipReason {
                    status = "skip: \(skip)"
                } else if let dns = check.dnsFailure {
                    status = "run (will report dns-failed: \(dns))"
                } else {
                    status = "run from \(from)"
                }
                lines.append("  \(check.id)  expect \(check.expect.rawValue)  \(status)")
            }
            // Names and DNS answers come from files and resolvers: never raw to the terminal.
            print(TerminalText.lines(lines.joined(separator: "\n")))
        }
    }

    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "validate", abstract: "Check profiles; every problem is reported as file:line:column.")

        @Argument(help: "Profiles to check: paths or built-in names.")
        var profiles: [String]

        @Option(help: "Refuse a profile that expands to more than this many checks.")
        var maxChecks: Int = PlanLimits.defaultMaxChecks

        func validate() throws {
            guard !profiles.isEmpty else { throw ValidationError("name at least one profile") }
            guard maxChecks >= PlanLimits.leastMaxChecks else {
                throw ValidationError("--max-checks must be at least \(PlanLimits.leastMaxChecks)")
            }
        }

        func run() throws {
            let loaded = try RunFailure.presenting { try ProfileCatalog.load(profiles, maxChecks: maxChecks) }
            for profile in loaded {
                print(
                    TerminalText.line(
                        "ok: \(profile.path ?? profile.name) (profile \(profile.name), \(profile.flows.count) flows, "
                            + "\(profile.checkCount()) checks before name resolution)"
                    ))
                // Valid, but still the shipped examples: said on standard error, the status stays 0.
                for warning in profile.placeholderWarnings { printError("warning: \(warning)") }
            }
        }
    }

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
            do {
                let report = try JSONReport.read(path: file)
                let data = ReportRenderer.render(report, as: format)
                if let output {
                    try AtomicFile.write(data, to: output)
                } else {
                    StandardStream.output.write(data)
                }
            } catch {
                printError(error.description)
                switch error {
                case .writeFailed: throw ExitCode(Exit.internalError)
                default: throw ExitCode(Exit.usage)
                }
            }
        }
    }

    struct Profiles: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "profiles", abstract: "List the built-in profiles.")

        func run() throws {
            let builtIns = ProfileCatalog.builtIns()
            guard !builtIns.isEmpty else {
                printError("no built-in profiles found; set NLSPROBE_PROFILES to the Profiles folder")
                throw ExitCode(Exit.usage)
            }
            for entry in builtIns {
                let title =
                    (try? ProfileLoader().load(path: entry.path)).map(\.title)
                    ?? "(invalid: run nlsprobe validate \(entry.path))"
                print(
                    TerminalText.line(
                        "\(entry.name.padding(toLength: 10, withPad: " ", startingAt: 0)) \(title)  [\(entry.path)]"))
            }
        }
    }
}

/// Reports that cannot be read, compared or merged are bad input: the message, then exit 64.
func exitingOnBadReports<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as ReportError {
        printError(error.description)
        throw ExitCode(Exit.usage)
    } catch let error as CompareError {
        printError(error.description)
        throw ExitCode(Exit.usage)
    }
}
