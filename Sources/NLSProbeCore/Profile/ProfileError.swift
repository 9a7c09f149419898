/// Why a profile could not be used.
public enum ProfileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file could not be read.
    case unreadable(path: String, reason: String)
    /// Neither a file nor a built-in profile of that name exists.
    case notFound(name: String, builtIns: [String])
    /// The file was read and has one or more problems.
    case invalid([ProfileIssue])
    /// The profile is valid but expands into `count` checks (saturated at `Int.max`), more than
    /// `limit`; `largest` locates the flow that contributes most, when known.
    case planTooLarge(path: String, count: Int, limit: Int, largest: ProfileIssue?)

    /// A message a person can act on.
    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            return "\(path): cannot read the profile: \(reason)"
        case .notFound(let name, let builtIns):
            let list = builtIns.isEmpty ? "none found" : builtIns.joined(separator: ", ")
            return "\(name): no such file, and no built-in profile of that name (built-in: \(list))"
        case .invalid(let issues):
            return issues.map(\.description).joined(separator: "\n")
        case .planTooLarge(let path, let count, let limit, let largest):
            let head =
                "\(path): the profile expands to \(PlanLimits.describe(count)) checks, more than the limit of \(limit); "
                + "split the profile or raise the limit with --max-checks"
            return largest.map { head + "\n" + $0.description } ?? head
        }
    }
}
