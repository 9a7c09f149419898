import NLSProbeCore

/// The fleet parts of a merged report's Markdown: which probe host measured what, with which
/// tool and profile version and when, which hosts gave no report, and the cells that are not
/// measured because of them.
enum FleetMarkdown {
    /// The mark of a set of checks that are all not measured; nil otherwise.
    static func notMeasuredMark(_ checks: [CheckRecord]) -> String? {
        guard !checks.isEmpty, checks.allSatisfy({ $0.notMeasured == true }) else { return nil }
        return checks.count == 1 ? "⛔ not measured" : "⛔ not measured (\(checks.count))"
    }

    /// "## Probe hosts" and "## Not measured": nothing for a report that is not a fleet merge.
    static func sections(_ report: Report) -> [String] {
        guard let hosts = report.probeHosts, !hosts.isEmpty else { return [] }
        var out = [
            "## Probe hosts", "",
            "| Host | Address | Status | Source groups | Tool | Profile digest | Run (UTC) |",
            "| --- | --- | --- | --- | --- | --- | --- |",
        ]
        for host in hosts {
            var name = MarkdownText.code(host.name, inTable: true)
            if let hostname = host.hostname { name += " (\(MarkdownReport.cell(hostname)))" }
            let addresses = ([host.address].compactMap { $0 } + host.localAddresses.filter { $0 != host.address })
            let status: String
            switch host.status {
            case .reported: status = "✅ reported" + (host.problem.map { ", but: \($0)" } ?? "")
            case .notReported: status = "⛔ **no report**: \(host.problem ?? "no report was given for it")"
            }
            let run = host.started.map { "\($0) to \(host.finished ?? "?")" } ?? "–"
            let row = [
                name, MarkdownReport.cell(addresses.isEmpty ? "–" : addresses.joined(separator: ", ")),
                MarkdownReport.cell(status),
                MarkdownReport.cell(host.sources.isEmpty ? "–" : host.sources.joined(separator: ", ")),
                MarkdownReport.cell(host.toolVersion.map { "nlsprobe \($0)" } ?? "–"),
                MarkdownReport.cell(host.profileDigest ?? "–"), MarkdownReport.cell(run),
            ]
            out.append("| " + row.joined(separator: " | ") + " |")
        }
        out.append("")
        let notMeasured = report.checks.filter { $0.notMeasured == true }
        guard !notMeasured.isEmpty else { return out }
        out += [
            "## Not measured", "",
            "Cells only a host that gave no report would have measured: inconclusive, never pass.", "",
        ]
        var reasons: [String] = []
        for check in notMeasured where !reasons.contains(check.reason) { reasons.append(check.reason) }
        for reason in reasons {
            let checks = notMeasured.filter { $0.reason == reason }
            let cells = Ordered.unique(checks.map(\.cell.description))
            out.append(
                "- ⛔ \(cells.count) cell\(cells.count == 1 ? "" : "s") (\(checks.count) check"
                    + "\(checks.count == 1 ? "" : "s")): \(MarkdownReport.cell(reason))")
            for cell in cells.prefix(MarkdownReport.skippedIdsShown) { out.append("  - \(MarkdownText.code(cell))") }
            if cells.count > MarkdownReport.skippedIdsShown {
                out.append("  - and \(cells.count - MarkdownReport.skippedIdsShown) more")
            }
        }
        out.append("")
        return out
    }
}
