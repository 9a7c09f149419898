import NLSProbeCore

/// Reads the Markdown (GitHub) tables of a ticket: a heading row, a delimiter row (`| --- |`),
/// then rows, each a line with `|` between cells. Text around the tables is ignored; `\|` is a
/// pipe inside a cell; a cell's code span or emphasis around the whole text is taken off.
enum MarkdownTableParser {
    /// The tables of `lines`.
    static func parse(_ lines: [TableText.Line], file: String) -> (tables: [Table], issues: [ProfileIssue]) {
        var tables: [Table] = []
        var index = 0
        while index < lines.count {
            let line = lines[index]
            guard line.text.contains("|"), index + 1 < lines.count, isDelimiterRow(lines[index + 1].text),
                lines[index + 1].number == line.number + 1
            else {
                index += 1
                continue
            }
            var heading = cells(of: line)
            while heading.last?.text.isEmpty == true { heading.removeLast() }
            var rows: [Table.Row] = []
            index += 2
            while index < lines.count, lines[index].text.contains("|"),
                !lines[index].text.allSatisfy({ $0.isWhitespace })
            {
                rows.append(Table.Row(line: lines[index].number, cells: cells(of: lines[index])))
                index += 1
            }
            tables.append(Table(heading: heading, rows: rows.filter { !$0.isBlank }))
        }
        return (tables, [])
    }

    /// True for `| --- | :---: |` and the like.
    static func isDelimiterRow(_ text: String) -> Bool {
        let pieces = splitRow(text).map { $0.text.trimmingCharacters(in: .whitespaces) }
        guard !pieces.isEmpty, text.contains("-") else { return false }
        return pieces.allSatisfy { piece in
            !piece.isEmpty && piece.allSatisfy { $0 == "-" || $0 == ":" } && piece.contains("-")
        }
    }

    /// The cells of a row line, with their columns.
    static func cells(of line: TableText.Line) -> [TableCell] {
        splitRow(line.text).map { piece in
            let leading = piece.text.prefix { $0 == " " || $0 == "\t" }.count
            return TableCell(text: clean(piece.text), line: line.number, column: piece.column + leading)
        }
    }

    /// The pieces between unescaped pipes, the outer pipes dropped, each with its starting column.
    static func splitRow(_ text: String) -> [(text: String, column: Int)] {
        var pieces: [(text: String, column: Int)] = []
        var current = ""
        var start = 1
        var column = 0
        var escaped = false
        for character in text {
            column += 1
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
                current.append(character)
            } else if character == "|" {
                pieces.append((current, start))
                current = ""
                start = column + 1
            } else {
                current.append(character)
            }
        }
        pieces.append((current, start))
        if let first = pieces.first, first.text.allSatisfy({ $0 == " " || $0 == "\t" }) { pieces.removeFirst() }
        if let last = pieces.last, last.text.allSatisfy({ $0 == " " || $0 == "\t" }) { pieces.removeLast() }
        return pieces
    }

    /// A cell's text: trimmed, `\|` as `|`, and a code span or emphasis around all of it taken off.
    static func clean(_ raw: String) -> String {
        var text = raw.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "\\|", with: "|")
        for marker in ["**", "__", "`", "*", "_"] {
            if text.count > 2 * marker.count, text.hasPrefix(marker), text.hasSuffix(marker) {
                text = String(text.dropFirst(marker.count).dropLast(marker.count))
                    .trimmingCharacters(in: .whitespaces)
            }
        }
        return text
    }
}
