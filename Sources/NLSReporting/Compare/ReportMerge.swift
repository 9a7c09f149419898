import NLSProbeCore

/// One report from runs on several hosts (each client subnet usually has its own probe host),
/// with what the merge found: which host measured which cells, reports given twice, cells
/// measured by more than one host or by none.
public struct ReportMerge: Sendable {
    /// The cells one host measured.
    public struct HostCells: Sendable, Equatable {
        /// The host's name.
        public var host: String
        /// The report files of the host that were merged.
        public var files: [String]
        /// The source groups it measured, with their subnets where recorded ("clients 10.10.20.0/24").
        public var sources: [String]
        /// The cells it measured (ran, whatever the verdict), in report order.
        public var cells: [CellIdentity]
    }

    /// The merged report: every host's measured checks (marked with `measured_by`); a skipped
    /// check only where no host ran its cell.
    public var report: Report
    /// Which host measured which cells, in the order the reports were given.
    public var hosts: [HostCells]
    /// What a person should know: reports given twice (merged once), cells measured by more than
    /// one host, cells no host measured.
    public var warnings: [String]

    /// Merges reports of one profile; see ``merging(_:files:allowProfileChange:)``.
    public static func merge(_ reports: [Report]) throws(CompareError) -> Report {
        try merging(reports).report
    }

    /// Merges reports. Reports of different profiles or profile versions are refused unless
    /// `allowProfileChange`; a report given twice (the same run: host, start, end, profile and
    /// checks) is merged once, with a warning. `files` name the reports in messages.
    public static func merging(_ reports: [Report], files: [String]? = nil, allowProfileChange: Bool = false)
        throws(CompareError) -> ReportMerge
    {
        guard let first = reports.first, reports.count >= 2 else { throw .nothingToMerge }
        let names = reports.indices.map { index in
            files.flatMap { index < $0.count ? $0[index] : nil } ?? "report \(index + 1)"
        }
        let origin = ReportOrigin(file: names[0], first)
        if !allowProfileChange {
            for (index, report) in reports.enumerated().dropFirst() {
                let other = ReportOrigin(file: names[index], report)
                guard origin.sameProfile(as: other) else { throw .differentProfiles(origin, other) }
            }
        }
        var warnings: [String] = []
        var distinct: [(file: String, report: Report)] = []
        for (index, report) in reports.enumerated() {
            if let earlier = distinct.first(where: { sameRun($0.report, report) }) {
                warnings.append(
                    "\(names[index]) is the same run as \(earlier.file) (host \(report.run.host), started "
                        + "\(report.run.started)): merged once; give each host's report once")
            } else {
                distinct.append((names[index], report))
            }
        }
        let flows = FlowUnion(distinct.map(\.report))
        var checks: [CheckRecord] = []
        var hosts: [HostCells] = []
        var measuredBy: [CellIdentity: [String]] = [:]
        var ran = Set<CellIdentity>()
        for (number, entry) in distinct.enumerated() {
            for check in entry.report.checks where check.verdict != .skipped { ran.insert(check.cell.withoutSubnet) }
            let host = entry.report.run.host
            if let index = hosts.firstIndex(where: { $0.host == host }) {
                hosts[index].files.append(entry.file)
            } else {
                hosts.append(HostCells(host: host, files: [entry.file], sources: [], cells: []))
            }
            let slot = hosts.firstIndex { $0.host == host } ?? 0
            for var check in entry.report.checks where check.verdict != .skipped {
                check.flow.index = flows.index(of: check.flow.index, inReport: number)
                check.measuredBy = host
                let cell = check.cell
                if !hosts[slot].cells.contains(cell) { hosts[slot].cells.append(cell) }
                let source = cell.sourceSubnet.map { "\(cell.sourceGroup) \($0)" } ?? cell.sourceGroup
                if !hosts[slot].sources.contains(source) { hosts[slot].sources.append(source) }
                if !(measuredBy[cell]?.contains(host) ?? false) { measuredBy[cell, default: []].append(host) }
                checks.append(check)
            }
        }
        var skippedCells = Set<CellIdentity>()
        var unmeasured: [CellIdentity] = []
        for (number, entry) in distinct.enumerated() {
            for var check in entry.report.checks where check.verdict == .skipped {
                let cell = check.cell.withoutSubnet
                guard !ran.contains(cell), skippedCells.insert(cell).inserted else { continue }
                check.flow.index = flows.index(of: check.flow.index, inReport: number)
                check.measuredBy = nil
                unmeasured.append(cell)
                checks.append(check)
            }
        }
        for (cell, by) in measuredBy where by.count > 1 && cell.sourceSubnet != nil {
            warnings.append(
                "cell \(cell) was measured by \(by.joined(separator: " and ")) (hosts in the same subnet): "
                    + "every host's checks are kept")
        }
        if !unmeasured.isEmpty {
            let shown = unmeasured.prefix(5).map(\.description).joined(separator: "; ")
            let more = unmeasured.count > 5 ? " and \(unmeasured.count - 5) more" : ""
            warnings.append(
                "\(unmeasured.count) cell\(unmeasured.count == 1 ? " was" : "s were") measured by no host "
                    + "(skipped in every report): \(shown)\(more)")
        }
        let ordered = checks.enumerated().sorted {
            ($0.element.flow.index, $0.element.flow.port, $0.offset) < (
                $1.element.flow.index, $1.element.flow.port, $1.offset
            )
        }.map(\.element)
        let runs = distinct.map(\.report.run)
        let run = RunInfo(
            started: runs.map(\.started).min() ?? first.run.started,
            finished: runs.map(\.finished).max() ?? first.run.finished,
            host: Ordered.unique(runs.map(\.host)).joined(separator: ", "),
            localSources: Ordered.unique(runs.flatMap(\.localSources)),
            localAddresses: Array(Set(runs.flatMap(\.localAddresses))).sorted(),
            proxy: Array(Set(runs.map(\.proxy))).sorted().joined(separator: ", "),
            interrupted: runs.contains { $0.interrupted })
        let report = Report(tool: first.tool, profile: first.profile, run: run, flows: flows.flows, checks: ordered)
        return ReportMerge(report: report, hosts: hosts, warnings: warnings)
    }

    /// The same run given twice: same host, start, end, profile and checks.
    static func sameRun(_ one: Report, _ other: Report) -> Bool {
        one.run.host == other.run.host && one.run.started == other.run.started
            && one.run.finished == other.run.finished && one.profile == other.profile
            && one.checks.count == other.checks.count && one.checks.map(\.id) == other.checks.map(\.id)
    }
}
