import ArgumentParser
import Foundation
import NLSLicensing
import NLSProbeCore

extension NLSProbe {
    struct ProfileCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "profile", abstract: "Make profiles.", subcommands: [FromToken.self, FromTable.self])

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
