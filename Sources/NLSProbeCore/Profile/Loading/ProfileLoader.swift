import Foundation
import Yams

/// Reads profiles (format v1) and reports every problem with its file, line and column.
///
/// Profiles are untrusted input: files larger than `maxFileBytes` are not read, names that reach
/// file names are checked, and a profile that expands into more than `maxChecks` checks is
/// refused with `ProfileError.planTooLarge` (counted, never expanded).
public struct ProfileLoader: Sendable {
    /// The largest profile file read, in bytes (a profile of 100,000 hosts is about 2 MB).
    public static let maxFileBytes = 16 * 1024 * 1024
    /// The most checks a loaded profile may expand into; see `PlanLimits`.
    public var maxChecks: Int

    /// Creates a loader that refuses profiles expanding into more than `maxChecks` checks.
    public init(maxChecks: Int = PlanLimits.defaultMaxChecks) {
        self.maxChecks = maxChecks
    }

    /// Reads and validates the profile at `path` (a regular file of at most `maxFileBytes`).
    public func load(path: String) throws(ProfileError) -> Profile {
        let data: Data
        do {
            data = try BoundedFile.read(path: path, limit: Self.maxFileBytes)
        } catch {
            throw .unreadable(path: path, reason: error.description)
        }
        let base = URL(fileURLWithPath: path).deletingLastPathComponent().path
        return try parse(data: data, file: path, baseDirectory: base)
    }

    /// Validates profile bytes (UTF-8, at most `maxFileBytes`); the entry point for fuzzing.
    /// `file` names the profile in messages, `baseDirectory` anchors relative `ca_file` paths.
    public func parse(data: Data, file: String, baseDirectory: String? = nil) throws(ProfileError) -> Profile {
        guard data.count <= Self.maxFileBytes else {
            throw .unreadable(
                path: file,
                reason: BoundedFile.Failure.tooLarge(bytes: data.count, limit: Self.maxFileBytes).description)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .unreadable(path: file, reason: "the file is not UTF-8 text")
        }
        return try parse(text, file: file, baseDirectory: baseDirectory)
    }

    /// Validates profile text; `file` names it in messages, `baseDirectory` anchors relative `ca_file` paths.
    /// Throws `.invalid` with every problem, or `.planTooLarge` when the profile is valid but
    /// expands into more than `maxChecks` checks.
    public func parse(_ text: String, file: String, baseDirectory: String? = nil) throws(ProfileError) -> Profile {
        // libyaml refuses nesting deeper than 1,000 levels, so building nodes cannot exhaust the stack.
        let root: Node?
        do {
            // The basic resolver tags every plain scalar as a string: the reader asks for nulls and
            // booleans by their text (`Node.null`, `Node.bool` do not look at the resolved tag),
            // and the default resolver's regular expressions cost more (ICU start-up) than the
            // rest of loading a profile. Keys are looked up with the same resolver, so they match.
            // Nodes are only composed, never constructed into values (`Node.any`): a constructor
            // without conversions spares building the default one's tables. The text is UTF-8
            // (Swift's own encoding), named so that `Parser.Encoding.default` does not read the
            // whole environment for its override.
            root = try Yams.compose(yaml: text, .basic, Constructor([:], [:], [:]), .utf8)
        } catch {
            throw .invalid([Self.syntaxIssue(error, file: file)])
        }
        var validator = ProfileValidator(file: file, baseDirectory: baseDirectory, maxChecks: maxChecks)
        let profile = validator.read(root, digest: "sha256:" + SHA256.hex(Array(text.utf8)))
        if !validator.reader.issues.isEmpty || profile == nil {
            throw .invalid(validator.reader.finalIssues)
        }
        if let tooLarge = validator.tooLarge { throw tooLarge }
        guard var result = profile else { throw .invalid(validator.reader.finalIssues) }
        result.path = file
        return result
    }

    /// Checks that no two profiles share a name; returns an issue per repeated name.
    public static func duplicateNames(_ profiles: [Profile]) -> [ProfileIssue] {
        var seen: [String: String] = [:]
        var issues: [ProfileIssue] = []
        for profile in profiles {
            let file = profile.path ?? "<profile>"
            if let first = seen[profile.name] {
                issues.append(
                    ProfileIssue(
                        file: file, line: profile.nameLocation.line, column: profile.nameLocation.column,
                        message: "profile name '\(Excerpt.quote(profile.name))' is already used by \(first); "
                            + "report file names would collide, give each profile its own name"))
            } else {
                seen[profile.name] = file
            }
        }
        return issues
    }

    private static func syntaxIssue(_ error: Error, file: String) -> ProfileIssue {
        guard let yamlError = error as? YamlError else {
            return ProfileIssue(file: file, line: 1, column: 1, message: "not valid YAML: \(Excerpt.quote("\(error)"))")
        }
        switch yamlError {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let detail = context.map { " (\(Excerpt.quote($0.text)))" } ?? ""
            return ProfileIssue(
                file: file, line: mark.line, column: mark.column,
                message: "not valid YAML: \(Excerpt.quote(problem))\(detail)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return ProfileIssue(
                file: file, line: context.mark.line, column: context.mark.column,
                message: "key '\(Excerpt.quote(duplicates.joined(separator: "', '")))' appears twice in this mapping; "
                    + "each key may appear once")
        case .reader(let problem, _, _, _):
            return ProfileIssue(
                file: file, line: 1, column: 1, message: "not valid YAML text: \(Excerpt.quote(problem))")
        default:
            return ProfileIssue(
                file: file, line: 1, column: 1, message: "not valid YAML: \(Excerpt.quote("\(yamlError)"))")
        }
    }
}
