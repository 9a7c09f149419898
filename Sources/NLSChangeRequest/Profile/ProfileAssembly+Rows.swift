import Foundation
import NLSProbeCore

/// The rows of a change request: each cell checked, every problem kept.
extension ProfileAssembly {
    mutating func readRows(_ entry: (Table, [Int: TableColumn])) {
        let (table, columns) = entry
        let index = Dictionary(uniqueKeysWithValues: columns.map { ($0.value, $0.key) })
        let lastColumn = table.heading.count
        for row in table.rows {
            rowCount += 1
            if rowCount > TableProfileBuilder.maxRows {
                issue(
                    row.line, 1,
                    "more than \(TableProfileBuilder.maxRows) rows; split the change request into several tables")
                return
            }
            if let extra = row.cells.dropFirst(lastColumn).first(where: { !$0.text.isEmpty }) {
                issue(
                    extra,
                    "this cell is beyond the last column ('\(Excerpt.quote(table.heading.last?.text ?? ""))'): a separator too many, or a heading missing"
                )
            }
            if let parsed = read(row, index: index, table: table) {
                if let conflict = conflict(parsed) {
                    issue(conflict.cell, conflict.message)
                } else {
                    rows.append(parsed)
                }
            }
        }
    }

    /// The row read, or nil when a cell has a problem (every problem of the row reported).
    mutating func read(_ row: Table.Row, index: [TableColumn: Int], table: Table) -> TableRow? {
        let before = issues.count
        func cell(_ column: TableColumn) -> TableCell? {
            guard let position = index[column] else { return nil }
            return position < row.cells.count ? row.cells[position] : nil
        }
        for cell in row.cells {
            if cell.text.count > TableProfileBuilder.maxCellLength {
                issue(
                    cell,
                    "this cell is \(cell.text.count) characters long, more than \(TableProfileBuilder.maxCellLength)")
            } else if let control = Excerpt.firstControl(in: cell.text, allowingLayout: true) {
                issue(cell, "control character \(ControlCharacters.visible(control)) in this cell; remove it")
            }
        }
        guard issues.count == before else { return nil }
        func required(_ column: TableColumn) -> TableCell? {
            guard let found = cell(column) else {
                issue(
                    row.line, row.cells.last.map { $0.column } ?? 1,
                    "the row has \(row.cells.count) cells and no \(column.rawValue) cell (the heading has \(table.heading.count) columns)"
                )
                return nil
            }
            return found
        }
        let portCell = required(.port)
        let protocolCell = required(.protocol)
        let directionCell = required(.direction)
        let sourceCell = required(.source)
        let destinationCell = required(.destination)
        let ports = portCell.flatMap { cell in value(PortList.parse(cell.text), cell) }
        let proto = protocolCell.flatMap { cell in value(CellValues.parseProtocol(cell.text), cell) }
        let direction = directionCell.flatMap { cell in value(CellValues.parseDirection(cell.text), cell) }
        let expect = value(
            CellValues.parseExpect(cell(.expect)?.text ?? ""),
            cell(.expect) ?? TableCell(text: "", line: row.line, column: 1))
        let source = sourceCell.flatMap { side($0, column: .source) }
        let destination = destinationCell.flatMap { side($0, column: .destination) }
        guard issues.count == before, let portCell, let ports, let proto, let direction, let expect, let source,
            let destination
        else { return nil }
        let note = cell(.note).map(\.text).flatMap { $0.isEmpty ? nil : $0 }
        var shown = row.cells.prefix(table.heading.count).map { $0.text.replacingOccurrences(of: "\n", with: " ") }
        while shown.last?.isEmpty == true { shown.removeLast() }
        let text = shown.joined(separator: " | ")
        return TableRow(
            line: row.line, firstColumn: row.cells.first?.column ?? 1, portCell: portCell, ports: ports, proto: proto,
            direction: direction, services: CellValues.services(cell(.service)?.text ?? ""), source: source,
            destination: destination, expect: expect, note: note, text: text)
    }

    mutating func value<T>(_ result: Result<T, PortListError>, _ cell: TableCell) -> T? {
        switch result {
        case .success(let value): return value
        case .failure(let error):
            issue(cell, error.message)
            return nil
        }
    }

    /// A Source or Destination cell: each item a defined name, a subnet, an address or a host name.
    mutating func side(_ cell: TableCell, column: TableColumn) -> TableRow.Side? {
        let items = NameDefinitions.items(cell.text)
        guard !items.isEmpty else {
            issue(cell, "the \(column.rawValue) cell is empty; write subnets, addresses, host names or a defined name")
            return nil
        }
        var endpoints: [Endpoint] = []
        var names: [NameDefinitions.Definition] = []
        var failed = false
        for item in items {
            if let definition = definitions.lookup(item.text) {
                names.append(definition)
                endpoints += definition.members.filter { !endpoints.contains($0) }
            } else if let endpoint = Endpoint.literal(item.text) {
                if !endpoints.contains(endpoint) { endpoints.append(endpoint) }
            } else if brokenNames.contains(NameDefinitions.key(item.text)) {
                failed = true  // its definition's problem is reported where it is defined
            } else {
                issue(cell, unknown(item.text, column: column), offset: item.offset)
                failed = true
            }
        }
        guard !failed else { return nil }
        let hosts = endpoints.filter { if case .host = $0 { true } else { false } }
        if column == .destination, let subnet = endpoints.first(where: { $0.destinationHost == nil }) {
            issue(
                cell,
                "'\(subnet)' is a subnet: nlsprobe connects to hosts, so a Destination names addresses or host names (a /32 is one address)"
            )
            return nil
        }
        if column == .source, !hosts.isEmpty, let subnet = endpoints.first(where: { $0.destinationHost == nil }) {
            issue(
                cell,
                "the Source mixes the subnet '\(subnet)' and the host name '\(hosts[0])': a source is client subnets or hosts that initiate, not both; split the row"
            )
            return nil
        }
        let single = items.count == 1 ? names.first : nil
        return TableRow.Side(cell: cell, endpoints: endpoints, name: single?.name, origin: single?.origin)
    }

    /// The message for an item that is neither a defined name nor a subnet, address or host name.
    func unknown(_ text: String, column: TableColumn) -> String {
        let example = column == .source ? "10.1.0.0/16" : "license.example.com"
        if Endpoint.looksNumeric(text) {
            return "'\(Excerpt.quote(text))' is not a subnet (CIDR such as 10.1.0.0/16) or an IP address"
        }
        if ["any", "all", "*", "internet", "0.0.0.0"].contains(text.lowercased()) {
            return
                "'\(Excerpt.quote(text))' stands for every address, which nlsprobe cannot check from or to: name the subnets or hosts (or define '\(Excerpt.quote(text))' with --define)"
        }
        let suggestion = definitions.suggestion(for: text).map { " (did you mean '\(Excerpt.quote($0))'?)" } ?? ""
        return
            "unknown name '\(Excerpt.quote(text))' in \(column.rawValue)\(suggestion): define it in a table of names (Name | Subnets/hosts) or with --define '\(Excerpt.quote(text))=\(example)', or write its subnets or full host names"
    }

    /// A row that repeats or contradicts an earlier one: the cell to point at, and why.
    func conflict(_ row: TableRow) -> (cell: TableCell, message: String)? {
        let sourceKey = Set(row.source.endpoints)
        let destinationKey = Set(row.destination.endpoints)
        let ports = row.portSet
        for earlier in rows
        where Set(earlier.source.endpoints) == sourceKey && Set(earlier.destination.endpoints) == destinationKey
            && earlier.direction == row.direction
        {
            let shared = ports.intersection(earlier.portSet)
            guard let first = shared.min() else { continue }
            if earlier.expect != row.expect {
                return (
                    row.portCell,
                    "port \(first) contradicts the row at line \(earlier.line), which says \(earlier.expect.rawValue) for the same source and destination; keep one"
                )
            }
            if earlier.portSet == ports && earlier.proto == row.proto {
                return (
                    TableCell(text: "", line: row.line, column: row.firstColumn),
                    "this row repeats the row at line \(earlier.line) (same ports, protocol, direction, source and destination); delete one"
                )
            }
            return (
                row.portCell,
                "port \(first) is already in the row at line \(earlier.line) for the same source and destination; name each port once"
            )
        }
        return nil
    }
}
