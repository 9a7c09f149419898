import ArgumentParser
import Foundation
import NLSLicensing
import NLSProbeCore

extension NLSProbe {
    struct ProfileCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "profile", abstract: "Make profiles.",
            discussion: """
                The profile file format, with every key, and the exit statuses are in \
                nlsprobe-profile(5): man 5 nlsprobe-profile (without the 5, man shows this page).
                """,
            subcommands: [FromToken.self, FromTable.self])

        struct FromToken: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "from-token", abstract: "Print a profile for the endpoints and ports a token names.")

            @Argument(help: "A client_configuration_token_*.tok file.")
            var file: String

            func run() throws {
                do {
                    let token = try ClientToken.load(path: file)
                    let name = (file as NSString).lastPathComponent
                    print(
                        TokenProfile.yaml(TokenProfile.profile(from: token, source: name), source: name), terminator: ""
                    )
                } catch {
                    printError(error.message(file: file))
                    throw ExitCode(Exit.usage)
                }
            }
        }
    }
}
