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
}
