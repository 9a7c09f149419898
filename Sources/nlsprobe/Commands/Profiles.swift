import ArgumentParser
import Foundation
import NLSProbeCore
import NLSProbeEngine
import NLSProbeRun
import NLSReporting

extension NLSProbe {
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
