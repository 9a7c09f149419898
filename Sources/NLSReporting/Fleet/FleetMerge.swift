import NLSProbeCore

/// The merge of a fleet run: one report per probe host (each client subnet has its own), the
/// hosts named in the merged report, and the hosts that were expected but gave no report shown,
/// with the source groups only they would have measured marked **not measured** (never pass).
public enum FleetMerge {
    /// Merges the reports of a fleet. `files` name the reports (and attribute each to an expected
    /// host by its folder, as the Ansible playbook fetches them to `REPORTS/<host>/`); `expected`
    /// is the fleet (`merge --expect-hosts`), nil when not given. One report is enough when hosts
    /// are expected; otherwise at least two are needed.
    ///
    /// - Throws: ``FleetMergeError`` for reports of different profiles or profile versions (unless
    ///   `allowProfileChange`), for too few reports, or when no expected host gave a report.
    public static func merging(
        _ reports: [Report], files: [String], expected: ExpectedHosts?, allowProfileChange: Bool = false
    ) throws(FleetMergeError) -> ReportMerge {
        if let expected, reports.isEmpty { throw .noReports(expected.hosts) }
        let names = reports.indices.map { index in
            attribute(reports[index], file: index < files.count ? files[index] : nil, expected: expected)
        }
        var renamed = reports
        for index in renamed.indices { renamed[index].run.host = names[index] }
        var merge: ReportMerge
        do {
            if renamed.count == 1 && expected != nil {
                merge = single(renamed[0], file: files.first ?? "report 1")
            } else {
                merge = try ReportMerge.merging(renamed, files: files, allowProfileChange: allowProfileChange)
            }
        } catch {
            throw .compare(error)
        }
        let versions = Ordered.unique(reports.map(\.tool.version))
        if versions.count > 1 {
            merge.warnings.append(
                "the hosts ran different nlsprobe versions (\(versions.joined(separator: ", "))): "
                    + "run one version across the fleet, or the cells may differ because the tool did")
        }
        var hosts = reportedHosts(reports, names: names, files: files, merge: merge, expected: expected)
        if let expected {
            for (index, name) in names.enumerated() where expected.host(named: name) == nil {
                merge.warnings.append(
                    "\(index < files.count ? files[index] : "report \(index + 1)") (host \(reports[index].run.host)) "
                        + "is from no expected host: merged as host '\(name)'")
            }
            let silent = expected.hosts.filter { !names.contains($0.name) }
            hosts += silent.map {
                ProbeHost(
                    name: $0.name, status: .notReported, address: $0.address, sources: $0.sources,
                    problem: $0.problem ?? "no report was given for it")
            }
            if !silent.isEmpty {
                let marked = NotMeasured.mark(merge.report, silent: silent, expected: expected)
                merge.report = marked.report
                // Cells a silent host stood in for are not measured now, no longer "measured by no host".
                let stillSkipped = Set(merge.report.checks.filter { $0.verdict == .skipped }.map(\.cell.withoutSubnet))
                merge.warnings = merge.warnings.filter { warning in
                    !warning.contains("measured by no host (skipped in every report)") || !stillSkipped.isEmpty
                }
                for host in silent {
                    let cells = marked.cells[host.name] ?? []
                    merge.warnings.append(
                        "\(host.name)\(host.address.map { " (\($0))" } ?? "") gave no report: "
                            + "\(host.problem ?? "no report was given for it"); "
                            + "\(cells.count) cell\(cells.count == 1 ? "" : "s") only it would have measured "
                            + "\(cells.count == 1 ? "is" : "are") not measured")
                }
            }
        }
        if let expected {
            // In the fleet's order; hosts no one expected last.
            let order = expected.hosts.map(\.name)
            hosts = hosts.enumerated().sorted {
                (order.firstIndex(of: $0.element.name) ?? order.count, $0.offset)
                    < (order.firstIndex(of: $1.element.name) ?? order.count, $1.offset)
            }.map(\.element)
        }
        merge.report.probeHosts = hosts
        merge.report.summary = Summary(merge.report.checks.map(\.verdict))
        return merge
    }

    /// The name a report is merged under: the expected host whose name is the report's folder (the
    /// playbook's `REPORTS/<inventory_hostname>/`), else the one its `run.host` names (fully or by
    /// its first label), else `run.host`.
    static func attribute(_ report: Report, file: String?, expected: ExpectedHosts?) -> String {
        guard let expected else { return report.run.host }
        if let file {
            let parts = file.split(separator: "/", omittingEmptySubsequences: true)
            if parts.count >= 2, let host = expected.host(named: String(parts[parts.count - 2])) { return host.name }
        }
        if let host = expected.host(named: report.run.host) { return host.name }
        let short = report.run.host.split(separator: ".").first.map(String.init) ?? report.run.host
        return expected.hosts.first { ($0.name.split(separator: ".").first.map(String.init) ?? $0.name) == short }?
            .name ?? report.run.host
    }

    /// A merge of one report: its measured checks marked with its host.
    static func single(_ report: Report, file: String) -> ReportMerge {
        var merged = report
        var cells: [CellIdentity] = []
        var sources: [String] = []
        for index in merged.checks.indices where merged.checks[index].verdict != .skipped {
            merged.checks[index].measuredBy = report.run.host
            let cell = merged.checks[index].cell
            if !cells.contains(cell) { cells.append(cell) }
            let source = cell.sourceSubnet.map { "\(cell.sourceGroup) \($0)" } ?? cell.sourceGroup
            if !sources.contains(source) { sources.append(source) }
        }
        let host = ReportMerge.HostCells(host: report.run.host, files: [file], sources: sources, cells: cells)
        return ReportMerge(report: merged, hosts: [host], warnings: [])
    }

    /// One entry per host that reported: its address, versions and run times from its reports.
    static func reportedHosts(
        _ reports: [Report], names: [String], files: [String], merge: ReportMerge, expected: ExpectedHosts?
    ) -> [ProbeHost] {
        var order = Ordered.unique(names)
        if let expected {
            let listed = expected.hosts.map(\.name).filter { order.contains($0) }
            order = listed + order.filter { !listed.contains($0) }
        }
        return order.map { name in
            let own = reports.indices.filter { names[$0] == name }
            let runs = own.map { reports[$0] }
            let hostnames = Ordered.unique(runs.map(\.run.host)).filter { $0 != name }
            let cells = merge.hosts.first { $0.host == name }
            return ProbeHost(
                name: name, status: .reported, address: expected?.host(named: name)?.address,
                hostname: hostnames.isEmpty ? nil : hostnames.joined(separator: ", "),
                localAddresses: Ordered.unique(runs.flatMap(\.run.localAddresses)),
                sources: cells?.sources ?? [],
                toolVersion: Ordered.unique(runs.map(\.tool.version)).joined(separator: ", "),
                profileDigest: Ordered.unique(runs.map(\.profile.digest)).joined(separator: ", "),
                started: runs.map(\.run.started).min(), finished: runs.map(\.run.finished).max(),
                reports: own.map { $0 < files.count ? files[$0] : "report \($0 + 1)" },
                problem: expected?.host(named: name)?.problem)
        }
    }
}

/// Why a fleet's reports could not be merged.
public enum FleetMergeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The reports cannot be merged (different profiles, too few reports).
    case compare(CompareError)
    /// Hosts were expected but none gave a report.
    case noReports([ExpectedHosts.Host])

    /// A message a person can act on.
    public var description: String {
        switch self {
        case .compare(let error): error.description
        case .noReports(let hosts):
            "no expected host gave a report, nothing to merge: "
                + hosts.prefix(10).map { host in
                    "\(host.name) (\(host.problem ?? "no report was given for it"))"
                }.joined(separator: "; ") + (hosts.count > 10 ? "; and \(hosts.count - 10) more" : "")
                + "; fix the hosts (or the playbook's connection settings) and run again"
        }
    }
}

extension FleetMerge {
    /// The merged verdict in one line, as `run` ends: "FAIL: 18 checks, 9 passed, 3 failed, 2
    /// inconclusive (2 not measured), 4 skipped; 3 probe hosts, 2 reported".
    public static func verdictLine(_ report: Report) -> String {
        let summary = report.summary
        let notMeasured = report.checks.filter { $0.notMeasured == true }.count
        var line =
            "\(summary.verdict.rawValue.uppercased()): \(summary.total) checks, \(summary.pass) passed, "
            + "\(summary.fail) failed, \(summary.inconclusive) inconclusive"
            + (notMeasured > 0 ? " (\(notMeasured) not measured)" : "") + ", \(summary.skipped) skipped"
        if let hosts = report.probeHosts {
            let reported = hosts.filter { $0.status == .reported }.count
            line += "; \(hosts.count) probe host\(hosts.count == 1 ? "" : "s"), \(reported) reported"
        }
        return line
    }

    /// One line per host that gave no report: its name, address, problem and the groups it stands in for.
    public static func silentHostLines(_ report: Report) -> [String] {
        (report.probeHosts ?? []).filter { $0.status == .notReported }.map { host in
            "no report from \(host.name)\(host.address.map { " (\($0))" } ?? ""): "
                + (host.problem ?? "no report was given for it")
                + (host.sources.isEmpty ? "" : "; its source groups: \(host.sources.joined(separator: ", "))")
        }
    }
}
