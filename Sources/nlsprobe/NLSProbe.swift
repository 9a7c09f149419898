import ArgumentParser
import Foundation
import NLSProbeCore
import NLSReporting

/// The version written into reports.
let toolVersion = "0.1.0"

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
        version: toolVersion,
        subcommands: [
            Run.self, Plan.self, Validate.self, ReportCommand.self, Diff.self, Merge.self, Profiles.self, Token.self,
            ProfileCommand.self,
        ]
    )
}

/// The exit statuses of every command (listed in the README, "Exit status").
enum Exit {
    static let pass: Int32 = 0
    static let fail: Int32 = 1
    static let inconclusive: Int32 = 2
    static let usage: Int32 = 64
    static let internalError: Int32 = 70

    static func code(for verdict: Verdict) -> Int32 {
        switch verdict {
        case .pass: pass
        case .fail: fail
        case .inconclusive, .skipped: inconclusive
        }
    }
}

/// Prints to standard error; control characters (from a server, a proxy or a file) are shown as `\u{1B}`
/// and the user part of any URL (`user:password@`) as `***`.
func printError(_ message: String) {
    let safe = TerminalText.lines(Credentials.redacted(message))
    StandardStream.error.write("nlsprobe: " + safe + "\n")
}

/// Finds profiles given as paths or built-in names.
enum ProfileLocator {
    /// Folders searched for built-in profiles, most specific first.
    static func builtInDirectories() -> [String] {
        var directories: [String] = []
        if let custom = ProcessInfo.processInfo.environment["NLSPROBE_PROFILES"], !custom.isEmpty {
            directories.append(custom)
        }
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var folder = executable.deletingLastPathComponent()
        directories.append(folder.appendingPathComponent("../share/nlsprobe/profiles").standardized.path)
        for _ in 0..<6 {
            directories.append(folder.appendingPathComponent("Profiles").path)
            folder = folder.deletingLastPathComponent()
        }
        directories.append(FileManager.default.currentDirectoryPath + "/Profiles")
        directories.append("/usr/share/nlsprobe/profiles")
        var seen = Set<String>()
        return directories.filter { seen.insert($0).inserted }
    }

    /// The built-in profiles: name and path, from the first folder that has any.
    static func builtIns() -> [(name: String, path: String)] {
        for directory in builtInDirectories() {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { continue }
            let profiles = names.filter { $0.hasSuffix(".yaml") }.map {
                (name: String($0.dropLast(5)), path: directory + "/" + $0)
            }.sorted { $0.name < $1.name }
            if !profiles.isEmpty { return profiles }
        }
        return []
    }

    /// A path as given when it exists, else the built-in profile of that name.
    static func locate(_ argument: String) throws(ProfileError) -> String {
        if FileManager.default.fileExists(atPath: argument) { return argument }
        let builtIns = builtIns()
        if !argument.contains("/"), let match = builtIns.first(where: { $0.name == argument }) {
            return match.path
        }
        throw .notFound(name: argument, builtIns: builtIns.map(\.name))
    }

    /// Loads every argument; prints every problem; nil when any profile is unusable.
    static func loadAll(_ arguments: [String], maxChecks: Int = PlanLimits.defaultMaxChecks) -> [Profile]? {
        var profiles: [Profile] = []
        var seenPaths = Set<String>()
        var failed = false
        for argument in arguments {
            do {
                if !FileManager.default.fileExists(atPath: argument), !argument.contains("/"),
                    builtIns().contains(where: { $0.name == argument }) == false, if_nametoindex(argument) != 0
                {
                    // `run --capture lo cls`: lo is a network interface, not a profile.
                    printError(
                        "'\(argument)' is a network interface of this host, not a profile; to capture on it, give "
                            + "--capture-interface \(argument) (and name the profiles after it)")
                    failed = true
                    continue
                }
                let path = try locate(argument)
                // The same file named twice (a built-in name and its path) is one profile.
                guard seenPaths.insert(URL(fileURLWithPath: path).resolvingSymlinksInPath().path).inserted else {
                    continue
                }
                profiles.append(try ProfileLoader(maxChecks: maxChecks).load(path: path))
            } catch {
                StandardStream.error.write(TerminalText.lines(error.description) + "\n")
                failed = true
            }
        }
        let duplicates = ProfileLoader.duplicateNames(profiles)
        for issue in duplicates {
            StandardStream.error.write(TerminalText.lines(issue.description) + "\n")
        }
        return failed || !duplicates.isEmpty ? nil : profiles
    }
}
