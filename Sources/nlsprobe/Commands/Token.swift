import ArgumentParser
import Foundation
import NLSLicensing
import NLSProbeCore

extension NLSProbe {
    struct Token: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "token",
            abstract: "Client configuration tokens: what endpoints and ports they name.",
            subcommands: [Inspect.self])

        struct Inspect: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "inspect",
                abstract: "The service instance, nodes and ports a client configuration token names.")

            @Argument(help: "A client_configuration_token_*.tok file.")
            var file: String

            @Flag(help: "JSON instead of text.")
            var json = false

            func run() throws {
                let token: ClientToken
                do {
                    token = try ClientToken.load(path: file)
                } catch {
                    printError(error.message(file: file))
                    throw ExitCode(Exit.usage)
                }
                let warnings = token.validityWarnings()
                if json {
                    print(try TokenSummary(token, warnings: warnings).json())
                } else {
                    print(TokenSummary.text(token, file: file, warnings: warnings))
                }
                if !warnings.isEmpty { throw ExitCode(Exit.fail) }
            }
        }
    }
}
