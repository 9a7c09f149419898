import ArgumentParser
import Foundation
import NLSProbeCore
import NLSProbeRun
import NLSReporting

@main
struct NLSProbe: AsyncParsableCommand {
    /// Parses the arguments and runs the command. Errors while parsing are ArgumentParser's (with
    /// the usage of the command they concern); a usage error found after parsing, while the command
    /// runs (a --bind address this host does not have, a --source no group has), prints the usage of
    /// that subcommand, not the top level's, and exits 64.
    static func main() async {
        // A closed pipe (`nlsprobe run … | head`) ends a write with EPIPE, not the process.
        signal(SIGPIPE, SIG_IGN)
        let command: ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            exit(withError: error)
        }
        do {
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                var command = command
                try command.run()
            }
        } catch let error as ValidationError {
            let subcommand = type(of: command)
            let name = (CommandLine.arguments.first.map { ($0 as NSString).lastPathComponent } ?? "nlsprobe")
            var words = [name]
            if subcommand != NLSProbe.self {
                words += commandPath(to: subcommand)
            }
            let usage = usageString(for: subcommand).replacingOccurrences(of: "\n", with: "\n       ")
            let text = """
                Error: \(error.message)
                Usage: \(usage)
                  See '\(words.joined(separator: " ")) --help' for more information.

                """
            StandardStream.error.write(TerminalText.lines(Credentials.redacted(text)))
            Foundation.exit(Exit.usage)
        } catch {
            exit(withError: error)
        }
    }

    /// The subcommand names leading to `command` ("token", "inspect").
    static func commandPath(to command: ParsableCommand.Type) -> [String] {
        func search(_ node: ParsableCommand.Type, _ path: [String]) -> [String]? {
            if node == command { return path }
            for child in node.configuration.subcommands {
                let name = child.configuration.commandName ?? String(describing: child).lowercased()
                if let found = search(child, path + [name]) { return found }
            }
            return nil
        }
        return search(NLSProbe.self, []) ?? []
    }

    static let configuration = CommandConfiguration(
        commandName: "nlsprobe",
        abstract: "Firewall and connectivity validation for the NVIDIA License System (CLS and DLS).",
        discussion: """
            Exit status: 0 every check passed; 1 at least one failed; 2 nothing failed but something \
            was inconclusive; 64 bad usage or an invalid profile; 70 an internal error.
            """,
        version: ToolVersion.current,
        subcommands: [
            Run.self, Serve.self, Plan.self, Validate.self, ReportCommand.self, Diff.self, Merge.self, Profiles.self,
            Token.self, ProfileCommand.self, Rules.self,
        ]
    )
}
