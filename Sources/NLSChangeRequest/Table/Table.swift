/// One table of a change-request file: a heading row and the rows under it.
public struct Table: Sendable, Equatable {
    /// One row under the heading.
    public struct Row: Sendable, Equatable {
        /// The line of the file the row starts on, from 1.
        public var line: Int
        /// The row's cells, in column order.
        public var cells: [TableCell]

        /// Creates a row.
        public init(line: Int, cells: [TableCell]) {
            self.line = line
            self.cells = cells
        }

        /// True when every cell is empty (a spreadsheet's empty row).
        public var isBlank: Bool { cells.allSatisfy { $0.text.isEmpty } }
    }

    /// The heading row's cells.
    public var heading: [TableCell]
    /// The rows under the heading, blank ones left out.
    public var rows: [Row]

    /// Creates a table.
    public init(heading: [TableCell], rows: [Row]) {
        self.heading = heading
        self.rows = rows
    }

    /// The line of the heading row.
    public var line: Int { heading.first?.line ?? 1 }
}
