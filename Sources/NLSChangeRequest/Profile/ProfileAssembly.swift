import Foundation
import NLSProbeCore

/// The work of ``TableProfileBuilder``: the issues found so far, the names defined, the rows read.
struct ProfileAssembly {
    let file: String
    let options: TableProfileOptions
    var issues: [ProfileIssue] = []
    var commandLineIssues: [ProfileIssue] = []
    var definitions = NameDefinitions()
    var rows: [TableRow] = []
    var ignoredColumns: [String] = []
    /// Columns a misspelt heading was taken for (reported as "did you mean"; not again as missing).
    var misspelt: Set<TableColumn> = []
    /// The keys of names whose definition had a problem (reported once, where they are defined).
    var brokenNames: Set<String> = []
    var rowCount = 0

    init(file: String, options: TableProfileOptions) {
        self.file = file
        self.options = options
    }

    mutating func issue(_ line: Int, _ column: Int, _ message: String) {
        issues.append(ProfileIssue(file: file, line: line, column: column, message: message))
    }

    mutating func issue(_ cell: TableCell, _ message: String, offset: Int = 0) {
        issue(cell.line, cell.column + offset, message)
    }

    /// At most `ProfileLimits.maxIssues`, and a last line counting the rest.
    static func capped(_ issues: [ProfileIssue], file: String) -> [ProfileIssue] {
        guard issues.count > ProfileLimits.maxIssues else { return issues }
        let rest = issues.count - ProfileLimits.maxIssues
        let last = issues[ProfileLimits.maxIssues]
        return Array(issues.prefix(ProfileLimits.maxIssues)) + [
            ProfileIssue(
                file: last.file, line: last.line, column: last.column,
                message: "and \(rest) more problem\(rest == 1 ? "" : "s"); fix these and read the table again")
        ]
    }

    /// `--define NAME=SUBNETS/HOSTS`, each; problems as `--define:N:COLUMN: message`.
    mutating func defineFromCommandLine() {
        for (index, text) in options.defines.enumerated() {
            guard let equals = text.firstIndex(of: "=") else {
                commandLineIssues.append(
                    ProfileIssue(
                        file: "--define", line: index + 1, column: 1,
                        message:
                            "'\(Excerpt.quote(text))' is not NAME=SUBNETS/HOSTS; write it as --define 'Client=10.1.0.0/16'"
                    ))
                continue
            }
            let name = text[..<equals].trimmingCharacters(in: .whitespaces)
            let members = String(text[text.index(after: equals)...])
            let membersColumn = text.distance(from: text.startIndex, to: equals) + 2
            switch definitions.define(name: name, membersText: members, origin: "--define #\(index + 1)") {
            case .name(let message):
                brokenNames.insert(NameDefinitions.key(name))
                commandLineIssues.append(ProfileIssue(file: "--define", line: index + 1, column: 1, message: message))
            case .member(let message, let offset):
                brokenNames.insert(NameDefinitions.key(name))
                commandLineIssues.append(
                    ProfileIssue(file: "--define", line: index + 1, column: membersColumn + offset, message: message))
            case nil:
                break
            }
        }
    }

    /// The columns a heading names, by cell index; unknown headings near a known one are
    /// problems, others are ignored (and listed in the profile's comment).
    mutating func columns(of table: Table) -> [Int: TableColumn] {
        var columns: [Int: TableColumn] = [:]
        var seen: [TableColumn: TableCell] = [:]
        for (index, cell) in table.heading.enumerated() {
            guard !cell.text.isEmpty else { continue }
            if let column = TableColumn.matching(cell.text) {
                if let first = seen[column] {
                    issue(
                        cell,
                        "a second \(column.rawValue) column ('\(Excerpt.quote(cell.text))'; the first is '\(Excerpt.quote(first.text))' at column \(first.column)); keep one"
                    )
                } else {
                    seen[column] = cell
                    columns[index] = column
                }
            } else if let near = TableColumn.nearest(cell.text) {
                issue(cell, "unknown column '\(Excerpt.quote(cell.text))' (did you mean '\(near.rawValue)'?)")
                misspelt.insert(near)
            } else {
                ignoredColumns.append(cell.text)
            }
        }
        return columns
    }

    /// The flow tables and the name tables; a table that is neither is a problem.
    mutating func classify(_ tables: [Table]) -> (
        flows: [(Table, [Int: TableColumn])], names: [(Table, [Int: TableColumn])]
    ) {
        var flows: [(Table, [Int: TableColumn])] = []
        var names: [(Table, [Int: TableColumn])] = []
        for table in tables {
            let columns = columns(of: table)
            let kinds = Set(columns.values)
            if kinds.contains(.name) && kinds.contains(.members) && !kinds.contains(.port) {
                names.append((table, columns))
            } else if !kinds.intersection(TableColumn.required).isEmpty {
                for column in TableColumn.required where !kinds.contains(column) && !misspelt.contains(column) {
                    let found = table.heading.map { "'\(Excerpt.quote($0.text))'" }.joined(separator: ", ")
                    issue(
                        table.line, 1,
                        "the table has no \(column.rawValue) column (its headings: \(found)); a change request needs Port, Protocol, Eg-/Ingress, Source and Destination"
                    )
                }
                if TableColumn.required.allSatisfy(kinds.contains) { flows.append((table, columns)) }
            } else if !table.heading.isEmpty {
                let found = table.heading.map { "'\(Excerpt.quote($0.text))'" }.joined(separator: ", ")
                issue(
                    table.line, 1,
                    "a table with the headings \(found) is neither a change request (Port | Protocol | Eg-/Ingress | Service | Source | Destination) nor a table of names (Name | Subnets/hosts)"
                )
            }
        }
        return (flows, names)
    }

    /// The rows of a table of names.
    mutating func readDefinitions(_ entry: (Table, [Int: TableColumn])) {
        let (table, columns) = entry
        guard let nameIndex = columns.first(where: { $0.value == .name })?.key,
            let membersIndex = columns.first(where: { $0.value == .members })?.key
        else { return }
        for row in table.rows {
            guard let nameCell = cell(row, nameIndex), let membersCell = cell(row, membersIndex) else {
                issue(row.line, 1, "this row of the table of names has no Name or no Subnets/hosts cell")
                continue
            }
            if let control = Excerpt.firstControl(in: nameCell.text + membersCell.text, allowingLayout: true) {
                issue(row.line, 1, "control character \(ControlCharacters.visible(control)) in this row; remove it")
                continue
            }
            let origin = "\((file as NSString).lastPathComponent) line \(row.line)"
            switch definitions.define(name: nameCell.text, membersText: membersCell.text, origin: origin) {
            case .name(let message):
                if definitions.lookup(nameCell.text) == nil { brokenNames.insert(NameDefinitions.key(nameCell.text)) }
                issue(nameCell, message)
            case .member(let message, let offset):
                brokenNames.insert(NameDefinitions.key(nameCell.text))
                issue(membersCell, message, offset: offset)
            case nil: break
            }
        }
    }

    /// The cell at `index`, or nil when the row is shorter.
    func cell(_ row: Table.Row, _ index: Int) -> TableCell? {
        index < row.cells.count ? row.cells[index] : nil
    }
}
