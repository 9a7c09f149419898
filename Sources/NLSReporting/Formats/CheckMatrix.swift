import NLSProbeCore

/// The matrix of a report as the HTML and Jira reports lay it out: sources down (group, address,
/// path), destination group and port across, the checks of each cell, and one mark per cell (the
/// worst verdict of the checks that ran, with counts).
public struct CheckMatrix: Sendable {
    /// Row labels, in order of first appearance ("clients (198.18.10.15) via http://proxy:3128").
    public let rows: [String]
    /// Column labels, in order of first appearance ("cls:443").
    public let columns: [String]
    private let cells: [[String]: [CheckRecord]]

    /// Lays out the report's checks.
    public init(_ report: Report) {
        var rows: [String] = []
        var columns: [String] = []
        var cells: [[String]: [CheckRecord]] = [:]
        for check in report.checks {
            let row = Self.rowLabel(check)
            let column = Self.columnLabel(check)
            if !rows.contains(row) { rows.append(row) }
            if !columns.contains(column) { columns.append(column) }
            cells[[row, column], default: []].append(check)
        }
        self.rows = rows
        self.columns = columns
        self.cells = cells
    }

    /// The checks of one cell, in plan order (empty when none).
    public func checks(row: String, column: String) -> [CheckRecord] {
        cells[[row, column]] ?? []
    }

    /// The row of a check: its source group, the address it was sent from, and the proxy.
    public static func rowLabel(_ check: CheckRecord) -> String {
        let source = check.source.address.map { "\(check.source.group) (\($0))" } ?? check.source.group
        return check.proxy.map { "\(source) \(ProxyText.via($0))" } ?? source
    }

    /// The column of a check: destination group and port.
    public static func columnLabel(_ check: CheckRecord) -> String {
        "\(check.destination.group):\(check.flow.port)"
    }

    /// The worst verdict among the checks that ran, nil when none ran.
    public static func worst(_ checks: [CheckRecord]) -> Verdict? {
        checks.map(\.verdict).filter { $0 != .skipped }.max()
    }

    /// One mark for a set of checks, each verdict written by `mark`: the worst verdict of those
    /// that ran, "(N)" when all agree, "(P/N passed)" when not, and how many were skipped.
    public static func aggregate(_ checks: [CheckRecord], mark: (Verdict) -> String) -> String {
        let ran = checks.filter { $0.verdict != .skipped }
        let skipped = checks.count - ran.count
        guard let worst = worst(checks) else {
            return checks.isEmpty ? "" : checks.count == 1 ? mark(.skipped) : "\(mark(.skipped)) (\(checks.count))"
        }
        let passed = ran.filter { $0.verdict == .pass }.count
        var text: String
        if ran.allSatisfy({ $0.verdict == worst }) {
            text = ran.count == 1 ? mark(worst) : "\(mark(worst)) (\(ran.count))"
        } else {
            text = "\(mark(worst)) (\(passed)/\(ran.count) passed)"
        }
        if skipped > 0 { text += ", \(skipped) skipped" }
        return text
    }
}
