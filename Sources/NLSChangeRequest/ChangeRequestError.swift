import NLSProbeCore

/// Why a change-request table gave no profile.
public enum ChangeRequestError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file could not be read.
    case unreadable(path: String, reason: String)
    /// The table was read and has problems: every one, `FILE:row:column: message`.
    case invalid([ProfileIssue])

    /// A message a person can act on.
    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            return "\(path): cannot read the change-request table: \(reason)"
        case .invalid(let issues):
            return issues.map(\.description).joined(separator: "\n")
        }
    }
}
