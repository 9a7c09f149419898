import NLSProbeCore

/// Why two reports cannot be compared or merged.
public enum CompareError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Different profiles (diff needs --allow-profile-change).
    case differentProfiles(String, String)
    /// Nothing to merge.
    case nothingToMerge

    /// A message a person can act on.
    public var description: String {
        switch self {
        case .differentProfiles(let before, let after):
            "the reports come from different profiles ('\(before)' and '\(after)'); compare them anyway with --allow-profile-change"
        case .nothingToMerge: "give at least two reports to merge"
        }
    }
}

/// What a change did to each check, matched by its identity (`id`: source group and address,
/// destination host and address, protocol, port, path).
public struct ReportDiff: Codable, Sendable, Equatable {
    /// The class of a check's change.
    public enum Change: String, Codable, Sendable, CaseIterable {
        /// Did not fail before, fails now.
        case regression
        /// Failed before, passes now.
        case fixed
        /// Same verdict class otherwise, but the observation or verdict moved (filtered to refused).
        case changed
        /// Nothing moved.
        case unchanged
        /// Only in the after report.
        case added
        /// Only in the before report.
        case removed
    }

    /// One check's change.
    public struct Entry: Codable, Sendable, Equatable {
        /// The check's identity.
        public var id: String
        /// The class of change.
        public var change: Change
        /// Before: verdict and observation.
        public var before: String?
        /// After: verdict and observation.
        public var after: String?
        /// The after (or before, for removed checks) reason.
        public var reason: String
    }

    /// The profile compared.
    public var profile: String
    /// When the two runs started.
    public var beforeStarted: String
    /// When the after run started.
    public var afterStarted: String
    /// Counts by class.
    public var counts: [String: Int]
    /// Every check, regressions first.
    public var entries: [Entry]

    /// Compares two reports.
    public static func compare(_ before: Report, _ after: Report, allowProfileChange: Bool = false) throws(CompareError)
        -> ReportDiff
    {
        guard before.profile.name == after.profile.name || allowProfileChange else {
            throw .differentProfiles(before.profile.name, after.profile.name)
        }
        let old = Dictionary(before.checks.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let new = Dictionary(after.checks.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var entries: [Entry] = []
        for check in after.checks {
            guard let previous = old[check.id] else {
                entries.append(
                    Entry(id: check.id, change: .added, before: nil, after: label(check), reason: check.reason))
                continue
            }
            let change: Change
            if check.verdict == .fail && previous.verdict != .fail {
                change = .regression
            } else if previous.verdict == .fail && check.verdict == .pass {
                change = .fixed
            } else if previous.verdict != check.verdict || previous.observed != check.observed {
                change = .changed
            } else {
                change = .unchanged
            }
            entries.append(
                Entry(id: check.id, change: change, before: label(previous), after: label(check), reason: check.reason))
        }
        for check in before.checks where new[check.id] == nil {
            entries.append(
                Entry(id: check.id, change: .removed, before: label(check), after: nil, reason: check.reason))
        }
        let order = Change.allCases
        entries.sort { (order.firstIndex(of: $0.change) ?? 0) < (order.firstIndex(of: $1.change) ?? 0) }
        var counts: [String: Int] = [:]
        for change in Change.allCases { counts[change.rawValue] = entries.filter { $0.change == change }.count }
        return ReportDiff(
            profile: after.profile.name, beforeStarted: before.run.started, afterStarted: after.run.started,
            counts: counts,
            entries: entries)
    }

    static func label(_ check: CheckRecord) -> String {
        "\(check.verdict.rawValue) (\(check.observed?.rawValue ?? "skipped"))"
    }

    /// True when anything regressed.
    public var hasRegression: Bool { (counts[Change.regression.rawValue] ?? 0) > 0 }

    /// The diff as Markdown for the change ticket.
    public func markdown() -> String {
        var out = ["# nlsprobe diff: \(MarkdownReport.cell(profile))", ""]
        let line = Change.allCases.map { "\(counts[$0.rawValue] ?? 0) \($0.rawValue)" }.joined(separator: ", ")
        out.append("**\(hasRegression ? "REGRESSION" : "No regression")**: \(line).")
        out.append("")
        out.append(
            "Before: run started \(MarkdownReport.cell(beforeStarted)). After: run started \(MarkdownReport.cell(afterStarted))."
        )
        out.append("")
        let moved = entries.filter { $0.change != .unchanged }
        if moved.isEmpty {
            out.append("Nothing changed.")
        } else {
            out.append("| Change | Check | Before | After | Reason (after) |")
            out.append("| --- | --- | --- | --- | --- |")
            for entry in moved {
                out.append(
                    "| \(entry.change.rawValue) | \(MarkdownText.code(entry.id, inTable: true)) | \(entry.before ?? "–") | \(entry.after ?? "–") | "
                        + MarkdownReport.cell(entry.reason) + " |")
            }
        }
        out.append("")
        return out.joined(separator: "\n")
    }
}

/// One report from runs on several hosts (each client subnet usually has its own probe host).
public enum ReportMerge {
    /// Merges reports of one profile: every host's checks are kept (marked with the host that
    /// measured them); a skipped check is kept only where no host ran that cell.
    public static func merge(_ reports: [Report]) throws(CompareError) -> Report {
        guard let first = reports.first, reports.count >= 2 else { throw .nothingToMerge }
        for report in reports.dropFirst() where report.profile.name != first.profile.name {
            throw .differentProfiles(first.profile.name, report.profile.name)
        }
        func cell(_ check: CheckRecord) -> String {
            "\(check.flow.index)|\(check.source.group)|\(check.destination.host)|\(check.destination.address ?? "")|"
                + "\(check.flow.protocol.rawValue)/\(check.flow.port)|\(check.proxy ?? "")"
        }
        var ran = Set<String>()
        for report in reports {
            for check in report.checks where check.verdict != .skipped { ran.insert(cell(check)) }
        }
        var checks: [CheckRecord] = []
        var skippedCells = Set<String>()
        for report in reports {
            for var check in report.checks {
                check.measuredBy = report.run.host
                if check.verdict == .skipped {
                    guard !ran.contains(cell(check)), skippedCells.insert(cell(check)).inserted else { continue }
                    check.measuredBy = nil
                }
                checks.append(check)
            }
        }
        checks.sort { ($0.flow.index, $0.flow.port) < ($1.flow.index, $1.flow.port) }
        let hosts = reports.map(\.run.host).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        let run = RunInfo(
            started: reports.map(\.run.started).min() ?? first.run.started,
            finished: reports.map(\.run.finished).max() ?? first.run.finished, host: hosts.joined(separator: ", "),
            localSources: reports.flatMap(\.run.localSources).reduce(into: [String]()) {
                if !$0.contains($1) { $0.append($1) }
            },
            localAddresses: Array(Set(reports.flatMap(\.run.localAddresses))).sorted(),
            proxy: Array(Set(reports.map(\.run.proxy))).sorted().joined(separator: ", "),
            interrupted: reports.contains { $0.run.interrupted })
        return Report(tool: first.tool, profile: first.profile, run: run, flows: first.flows, checks: checks)
    }
}
