/// A malformed line of a gridd.conf file.
public struct GriddConfIssue: Sendable, Equatable, CustomStringConvertible {
    /// The file as given.
    public var file: String
    /// Line, from 1.
    public var line: Int
    /// What is wrong (never the line's text: it may hold a secret).
    public var message: String

    /// Creates an issue.
    public init(file: String, line: Int, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    /// "file:line: message".
    public var description: String { "\(file):\(line): \(message)" }
}
