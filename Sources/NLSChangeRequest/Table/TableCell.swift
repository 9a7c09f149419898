/// One cell of a change-request table, with where it stands in the file.
public struct TableCell: Sendable, Equatable {
    /// The cell's text, trimmed of surrounding spaces (and, in Markdown, of the escapes and the
    /// emphasis around it).
    public var text: String
    /// The line of the file the cell starts on, from 1.
    public var line: Int
    /// The column (in characters, from 1) the cell's text starts at.
    public var column: Int

    /// Creates a cell.
    public init(text: String, line: Int, column: Int) {
        self.text = text
        self.line = line
        self.column = column
    }
}
