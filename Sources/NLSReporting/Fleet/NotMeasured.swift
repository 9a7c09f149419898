import NLSProbeCore

/// Marks the cells of a merged fleet report that only a silent host would have measured: a host
/// that was expected and gave no report cannot vouch for its source groups, so their checks are
/// inconclusive and **not measured**, never skipped quietly and never pass.
enum NotMeasured {
    /// `report` with every check no host ran, of a source group a silent host stands in for, made
    /// not measured; and the cells so marked per silent host.
    ///
    /// A silent host stands in for the groups its `sources=` names. A group no expected host
    /// names is put on the silent hosts that name no groups at all (they may have been its
    /// measurers; nobody else was).
    static func mark(_ report: Report, silent: [ExpectedHosts.Host], expected: ExpectedHosts) -> (
        report: Report, cells: [String: Set<CellIdentity>]
    ) {
        var marked = report
        var cells: [String: Set<CellIdentity>] = [:]
        for index in marked.checks.indices where marked.checks[index].verdict == .skipped {
            let group = marked.checks[index].source.group
            var standIns = silent.filter { $0.sources.contains(group) }
            let declared = !standIns.isEmpty
            if standIns.isEmpty && !expected.hosts.contains(where: { $0.sources.contains(group) }) {
                standIns = silent.filter(\.sources.isEmpty)
            }
            guard !standIns.isEmpty else { continue }
            let who = standIns.map { "'\($0.name)' (\($0.problem ?? "no report was given for it"))" }
                .joined(separator: " and ")
            marked.checks[index].verdict = .inconclusive
            marked.checks[index].observed = nil
            marked.checks[index].notMeasured = true
            marked.checks[index].measuredBy = nil
            marked.checks[index].reason =
                declared
                ? "not measured: source group '\(group)' is measured by \(who), which gave no report"
                : "not measured: no host that reported measured source group '\(group)', and \(who) gave no report"
            for host in standIns { cells[host.name, default: []].insert(marked.checks[index].cell) }
        }
        return (marked, cells)
    }
}
