/// One problem in a profile, located by file, line and column.
public struct ProfileIssue: Sendable, Equatable, CustomStringConvertible {
    /// The profile file as given.
    public var file: String
    /// Line, from 1.
    public var line: Int
    /// Column, from 1.
    public var column: Int
    /// What is wrong and what was expected.
    public var message: String

    /// Creates an issue.
    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// "file:line:column: message", the form editors and compilers use.
    public var description: String { "\(file):\(line):\(column): \(message)" }
}
