import NLSProbeCore

/// Why checks were skipped, as the terminal and the reports say it: every skipped verdict shown
/// comes with its reason (no local address in a subnet, a pair another node runs, a group no
/// host of a merged report ran).
public enum SkipReasons {
    /// True for a merged report: its checks say which host measured them.
    public static func isMerged(_ report: Report) -> Bool {
        report.checks.contains { $0.measuredBy != nil }
    }

    /// The reason a skipped check shows. In a merged report a skipped check is one no host ran.
    public static func reason(_ check: CheckRecord, merged: Bool) -> String {
        let own = check.reason.isEmpty ? "no reason was recorded" : check.reason
        guard merged else { return own }
        return "no host of the merged runs ran source group '\(check.source.group)' (one said: \(own))"
    }

    /// The skipped checks among `checks`, grouped by reason in order of first appearance.
    public static func grouped(_ checks: [CheckRecord], merged: Bool) -> [(reason: String, checks: [CheckRecord])] {
        var order: [String] = []
        var groups: [String: [CheckRecord]] = [:]
        for check in checks where check.verdict == .skipped {
            let reason = reason(check, merged: merged)
            if groups[reason] == nil { order.append(reason) }
            groups[reason, default: []].append(check)
        }
        return order.map { (reason: $0, checks: groups[$0] ?? []) }
    }

    /// One phrase for the skipped checks among `checks`: the first reason, and how many others
    /// there are; nil when none was skipped.
    public static func summary(_ checks: [CheckRecord], merged: Bool) -> String? {
        let groups = grouped(checks, merged: merged)
        guard let first = groups.first else { return nil }
        let others = groups.count - 1
        return first.reason + (others > 0 ? " (and \(others) other reason\(others == 1 ? "" : "s"))" : "")
    }
}
