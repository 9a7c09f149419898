import Foundation
import NLSProbeCore

#if canImport(Glibc)
    import Glibc
#endif

/// Finds profiles given as paths or built-in names, and loads them.
public enum ProfileCatalog {
    /// Folders searched for built-in profiles, most specific first: `$NLSPROBE_PROFILES`, the
    /// installed layout beside the executable (`../share/nlsprobe/profiles`), a `Profiles` folder
    /// beside it or up to six levels above (a build tree), the working directory's `Profiles`,
    /// and `/usr/share/nlsprobe/profiles`.
    public static func builtInDirectories() -> [String] {
        var directories: [String] = []
        if let custom = ProcessInfo.processInfo.environment["NLSPROBE_PROFILES"], !custom.isEmpty {
            directories.append(custom)
        }
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? "nlsprobe").resolvingSymlinksInPath()
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
    public static func builtIns() -> [(name: String, path: String)] {
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
    public static func locate(_ argument: String) throws(ProfileError) -> String {
        if FileManager.default.fileExists(atPath: argument) { return argument }
        return try builtIn(argument, among: builtIns())
    }

    /// The path of the built-in profile `argument` among `builtIns`.
    private static func builtIn(_ argument: String, among builtIns: [(name: String, path: String)])
        throws(ProfileError) -> String
    {
        if !argument.contains("/"), let match = builtIns.first(where: { $0.name == argument }) {
            return match.path
        }
        throw .notFound(name: argument, builtIns: builtIns.map(\.name))
    }

    /// Loads every argument (a path or a built-in name); the same file named twice is one profile.
    ///
    /// - Throws: ``RunError/profiles(_:)`` with every problem of every profile, and profiles that
    ///   share a name.
    public static func load(_ arguments: [String], maxChecks: Int = PlanLimits.defaultMaxChecks) throws(RunError)
        -> [Profile]
    {
        var profiles: [Profile] = []
        var seenPaths = Set<String>()
        var problems: [String] = []
        // The built-in folders are searched once for all the arguments (a search lists up to ten
        // folders), and only when an argument is not a file.
        var found: [(name: String, path: String)]?
        func known() -> [(name: String, path: String)] {
            if let found { return found }
            let listed = builtIns()
            found = listed
            return listed
        }
        for argument in arguments {
            do {
                let isFile = FileManager.default.fileExists(atPath: argument)
                if !isFile, !argument.contains("/"),
                    known().contains(where: { $0.name == argument }) == false, if_nametoindex(argument) != 0
                {
                    // `run --capture lo cls`: lo is a network interface, not a profile.
                    problems.append(
                        "nlsprobe: '\(argument)' is a network interface of this host, not a profile; to capture on it, "
                            + "give --capture-interface \(argument) (and name the profiles after it)")
                    continue
                }
                let path = isFile ? argument : try builtIn(argument, among: known())
                // The same file named twice (a built-in name and its path) is one profile.
                guard seenPaths.insert(canonicalPath(path)).inserted else {
                    continue
                }
                profiles.append(try ProfileLoader(maxChecks: maxChecks).load(path: path))
            } catch {
                problems.append(error.description)
            }
        }
        problems += ProfileLoader.duplicateNames(profiles).map(\.description)
        guard problems.isEmpty else { throw .profiles(problems) }
        return profiles
    }

    /// The path with its symbolic links resolved, absolute (`realpath`): one spelling per file.
    static func canonicalPath(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else {
            return URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
