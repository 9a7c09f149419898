import ArgumentParser
import Foundation
import NLSProbeCore
import NLSProbeEngine
import NLSProbeRun
import NLSReporting

extension NLSProbe {
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
}
