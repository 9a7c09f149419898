import NLSProbeCore

/// A report format name that nlsprobe does not write.
public struct ReportFormatError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The name given.
    public let name: String

    /// The error for a format name that is not one.
    public init(name: String) { self.name = name }

    /// Names the format given and lists the ones there are.
    public var description: String {
        "'\(Excerpt.quote(name))' is not a report format; expected one or more of: "
            + ReportFormat.allCases.map(\.rawValue).joined(separator: ", ")
    }
}
