import NLSProbeCore

/// The cells of two reports, matched: what `diff` compares.
///
/// A source group's subnet is part of the cell only when both reports record subnets for that
/// group (reports of earlier versions do not): otherwise the group alone stands for its source.
/// A skipped check has no address and so no subnet; a measured cell with a subnet whose
/// counterpart is such a skipped cell of its group is matched with it (it was not measured).
struct CellPairing {
    /// One cell and its checks in each report (empty where the report has none).
    struct Pair {
        var cell: CellIdentity
        var before: [CheckRecord]
        var after: [CheckRecord]
    }

    /// Every cell of either report: the after report's order, then cells only the before report has.
    let pairs: [Pair]

    init(before: Report, after: Report) {
        func groupsWithSubnets(_ report: Report) -> Set<String> {
            Set(report.checks.filter { $0.source.subnet != nil }.map(\.source.group))
        }
        let subnetGroups = groupsWithSubnets(before).intersection(groupsWithSubnets(after))
        func key(_ check: CheckRecord) -> CellIdentity {
            subnetGroups.contains(check.source.group) ? check.cell : check.cell.withoutSubnet
        }
        let old = Self.cells(before.checks, key: key)
        let new = Self.cells(after.checks, key: key)
        let oldChecks = Dictionary(old, uniquingKeysWith: { first, _ in first })
        let newChecks = Dictionary(new, uniquingKeysWith: { first, _ in first })
        var pairs: [Pair] = []
        var consumed = Set<CellIdentity>()
        for (cell, checks) in new {
            if let previous = oldChecks[cell] {
                pairs.append(Pair(cell: cell, before: previous, after: checks))
            } else if cell.sourceSubnet != nil, let skipped = oldChecks[cell.withoutSubnet],
                skipped.allSatisfy({ $0.verdict == .skipped })
            {
                consumed.insert(cell.withoutSubnet)
                pairs.append(Pair(cell: cell, before: skipped, after: checks))
            } else {
                pairs.append(Pair(cell: cell, before: [], after: checks))
            }
        }
        for (cell, checks) in old where newChecks[cell] == nil && !consumed.contains(cell) {
            if cell.sourceSubnet != nil, let skipped = newChecks[cell.withoutSubnet],
                skipped.allSatisfy({ $0.verdict == .skipped })
            {
                consumed.insert(cell.withoutSubnet)
                pairs.append(Pair(cell: cell, before: checks, after: skipped))
            } else {
                pairs.append(Pair(cell: cell, before: checks, after: []))
            }
        }
        // A skipped cell that stood in for the measured cells of its group is not listed on its own.
        self.pairs = pairs.filter { pair in
            !(consumed.contains(pair.cell) && (pair.before.isEmpty || pair.after.isEmpty))
        }
    }

    /// The checks grouped by cell, in order of first appearance.
    static func cells(_ checks: [CheckRecord], key: (CheckRecord) -> CellIdentity) -> [(CellIdentity, [CheckRecord])] {
        var order: [CellIdentity] = []
        var grouped: [CellIdentity: [CheckRecord]] = [:]
        for check in checks {
            let cell = key(check)
            if grouped[cell] == nil { order.append(cell) }
            grouped[cell, default: []].append(check)
        }
        return order.map { ($0, grouped[$0] ?? []) }
    }
}
