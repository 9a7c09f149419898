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

/// What `token inspect` shows.
struct TokenSummary: Encodable {
    struct Node: Encodable {
        var url: String
        var portSet: String?
        var ports: [String]
    }
    var serviceInstance: String?
    var issuer: String?
    var issuedAt: String?
    var notBefore: String?
    var expires: String?
    var protocolVersion: String?
    var nodes: [Node]
    var warnings: [String]

    init(_ token: ClientToken, warnings: [String]) {
        let iso = ISO8601DateFormatter()
        serviceInstance = token.serviceInstance
        issuer = token.issuer
        issuedAt = token.issuedAt.map(iso.string)
        notBefore = token.notBefore.map(iso.string)
        expires = token.expires.map(iso.string)
        protocolVersion = token.protocolVersion
        nodes = token.nodes.map { node in
            Node(url: node.url, portSet: node.portSetName, ports: node.ports.map { "\($0.service)/\($0.port)" })
        }
        self.warnings = warnings
    }

    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    static func text(_ token: ClientToken, file: String, warnings: [String]) -> String {
        let summary = TokenSummary(token, warnings: warnings)
        var lines = ["client configuration token \(file)"]
        lines.append("  service instance  \(summary.serviceInstance ?? "(not named)")")
        if let issuer = summary.issuer { lines.append("  issuer            \(issuer)") }
        lines.append("  issued            \(summary.issuedAt ?? "-")")
        lines.append("  valid             \(summary.notBefore ?? "-") to \(summary.expires ?? "-")")
        lines.append("  nodes             \(token.nodes.count)")
        for node in summary.nodes {
            lines.append("    \(node.url)  [\(node.portSet ?? "port set")] \(node.ports.joined(separator: ", "))")
        }
        let ports = token.portServices.map { "\($0.port) (\($0.services.joined(separator: ", ")))" }
        lines.append(
            "  ports to open     \(ports.joined(separator: ", "))\(ports.contains { $0.hasPrefix("80 ") } ? "" : ", 80 (release)")"
        )
        for warning in warnings { lines.append("  WARNING: \(warning)") }
        lines.append("  (the signature is not verified: nlsprobe reads the endpoints, it does not trust them)")
        return lines.joined(separator: "\n")
    }
}
