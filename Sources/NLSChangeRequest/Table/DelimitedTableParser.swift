import NLSProbeCore

/// Reads CSV (RFC 4180: quoted cells, doubled quotes, line breaks inside quotes) and TSV.
///
/// A file may hold several tables, one after the other, separated by an empty row (what a
/// spreadsheet exports for a sheet with the change request and, below it, the name definitions).
/// Rows at the top of a table with at most one filled cell are titles and are skipped.
enum DelimitedTableParser {
    /// The tables of `lines`; `separator` nil means the one the first row uses most (`,`, `;` or tab).
    static func parse(_ lines: [TableText.Line], separator: Character?, file: String) -> (
        tables: [Table], issues: [ProfileIssue]
    ) {
        let separator = separator ?? sniffSeparator(lines)
        var issues: [ProfileIssue] = []
        var rows: [Table.Row] = []
        var index = 0
        while index < lines.count {
            let (row, next, issue) = record(lines, from: index, separator: separator, file: file)
            rows.append(row)
            if let issue { issues.append(issue) }
            index = next
        }
        return (sections(rows), issues)
    }

    /// The separator the first line that is not blank uses most, outside quotes; `,` on a tie.
    static func sniffSeparator(_ lines: [TableText.Line]) -> Character {
        guard let first = lines.first(where: { !$0.text.allSatisfy(\.isWhitespace) }) else { return "," }
        var counts: [Character: Int] = [",": 0, ";": 0, "\t": 0]
        var quoted = false
        for character in first.text {
            if character == "\"" { quoted.toggle() }
            if !quoted, counts[character] != nil { counts[character, default: 0] += 1 }
        }
        let best = counts.max { lhs, rhs in lhs.value < rhs.value || (lhs.value == rhs.value && lhs.key != ",") }
        return (best?.value ?? 0) > 0 ? best?.key ?? "," : ","
    }

    /// One record starting at `lines[start]`: its row, the index of the next line, and an issue for
    /// a quote never closed.
    static func record(_ lines: [TableText.Line], from start: Int, separator: Character, file: String) -> (
        Table.Row, Int, ProfileIssue?
    ) {
        var cells: [TableCell] = []
        var text = ""
        var quoted = false
        var cellLine = lines[start].number
        var cellColumn = 1
        var index = start
        while index < lines.count {
            let line = lines[index]
            let characters = Array(line.text)
            var position = 0
            while position < characters.count {
                let character = characters[position]
                position += 1
                if quoted {
                    if character == "\"" {
                        if position < characters.count && characters[position] == "\"" {
                            text.append("\"")
                            position += 1
                        } else {
                            quoted = false
                        }
                    } else {
                        text.append(character)
                    }
                } else if character == separator {
                    cells.append(TableCell(text: trimmed(text), line: cellLine, column: cellColumn))
                    text = ""
                    cellLine = line.number
                    cellColumn = position + 1
                } else if character == "\"" && text.allSatisfy({ $0 == " " }) {
                    text = ""
                    quoted = true
                } else {
                    text.append(character)
                }
            }
            index += 1
            if !quoted { break }
            text.append("\n")
        }
        let last = TableCell(text: trimmed(text), line: cellLine, column: cellColumn)
        let row = Table.Row(line: lines[start].number, cells: cells + [last])
        if quoted {
            let issue = ProfileIssue(
                file: file, line: cellLine, column: cellColumn,
                message: "a quoted cell is never closed: the file ends inside it; add the closing '\"'")
            return (row, index, issue)
        }
        return (row, index, nil)
    }

    static func trimmed(_ text: String) -> String {
        text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Rows split into tables at blank rows; leading title rows (one filled cell at most) skipped.
    static func sections(_ rows: [Table.Row]) -> [Table] {
        var tables: [Table] = []
        var current: [Table.Row] = []
        func flush() {
            let body = current.drop { row in row.cells.filter { !$0.text.isEmpty }.count <= 1 }
            current = []
            guard let heading = body.first else { return }
            var cells = heading.cells
            while cells.last?.text.isEmpty == true { cells.removeLast() }
            tables.append(Table(heading: cells, rows: Array(body.dropFirst())))
        }
        for row in rows {
            if row.isBlank {
                flush()
            } else {
                current.append(row)
            }
        }
        flush()
        return tables
    }
}
