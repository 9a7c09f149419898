import NLSProbeCore

/// What a change did to the matrix, cell by cell.
///
/// A cell (``CellIdentity``) is a source group and subnet, a destination host, a protocol and
/// port, and a path; it holds one check per address the name resolved to. Cells are matched
/// between the reports, never single checks: a name that moves to other addresses, or a probe
/// host with a new address in the same subnet, is still the same cell. Within a cell, checks are
/// paired by destination address where both reports have it; addresses only one report has are
/// reported as the address change they are.
public struct ReportDiff: Codable, Sendable, Equatable {
    /// The class of a cell's change, worst first.
    public enum Change: String, Codable, Sendable, CaseIterable {
        /// The cell did not fail before and fails now (or one of its addresses did not fail and
        /// fails now). `diff` exits 1.
        case regression
        /// The cell fails now and was not measured before (absent, or skipped). `diff` exits 1.
        case newFailure = "new-failure"
        /// The cell was measured before and not after (absent, or skipped: its source group was not
        /// run). `diff` exits 2 when nothing regressed: the change cannot be called safe for it.
        case notMeasured = "not-measured"
        /// The cell was measured before and is inconclusive now. `diff` exits 2 when nothing regressed.
        case inconclusive
        /// The cell failed before and passes now.
        case fixed
        /// Same verdict, but an observation, a verdict of one address or the addresses moved.
        case changed
        /// Not measured before, measured now without failing (or skipped now).
        case added
        /// Only in the before report, where it was not measured either.
        case removed
        /// Nothing moved.
        case unchanged

        /// The words the Markdown uses ("new failure").
        public var words: String { rawValue.replacingOccurrences(of: "-", with: " ") }
    }

    /// What the whole comparison says, and the exit status `diff` gives it.
    public enum Outcome: String, Codable, Sendable {
        /// A regression or a new failure: exit 1.
        case regression
        /// Nothing regressed, but a cell measured before was not measured after, or is inconclusive: exit 2.
        case inconclusive
        /// Every cell measured before was measured after and none regressed: exit 0.
        case noRegression = "no-regression"
    }

    /// One destination address of a cell: its check before and after.
    public struct AddressEntry: Codable, Sendable, Equatable {
        /// What happened to the address.
        public enum Status: String, Codable, Sendable {
            /// Not failing before, failing now.
            case regression
            /// Failing before, passing now.
            case fixed
            /// The verdict or the observation moved.
            case changed
            /// Nothing moved.
            case unchanged
            /// Only in the after report: the name resolves to it now (or stopped resolving).
            case new
            /// Only in the before report.
            case gone
        }

        /// The destination address; nil when the name did not resolve or a proxy resolved it.
        public var address: String?
        /// What happened to it.
        public var status: Status
        /// Verdict and observation before ("pass (open)").
        public var before: String?
        /// Verdict and observation after.
        public var after: String?
        /// The source address after (before, for a gone address).
        public var sourceAddress: String?
        /// The after (before, for a gone address) reason.
        public var reason: String
    }

    /// One cell's change.
    public struct Entry: Codable, Sendable, Equatable {
        /// The cell as one line ("clients 10.10.20.0/24 -> cls api.cls.licensing.nvidia.com tls/443").
        public var id: String
        /// The cell's fields.
        public var cell: CellIdentity
        /// The class of change.
        public var change: Change
        /// The cell's verdict and observations before ("pass (open ×2)"); nil when absent.
        public var before: String?
        /// The cell's verdict and observations after; nil when absent.
        public var after: String?
        /// The address change in words ("now resolves to 198.18.0.3 instead of 198.18.0.2; the new
        /// one 198.18.0.3 passes"); nil when the addresses did not move.
        public var addresses: String?
        /// Why: the failing check's reason, the skip reason, or what is missing.
        public var reason: String
        /// The cell's checks, paired by address.
        public var checks: [AddressEntry]
    }

    /// The profile compared.
    public var profile: String
    /// The before report's file.
    public var beforeFile: String
    /// The after report's file.
    public var afterFile: String
    /// When the before run started.
    public var beforeStarted: String
    /// When the after run started.
    public var afterStarted: String
    /// The host of the before run.
    public var beforeHost: String
    /// The host of the after run.
    public var afterHost: String
    /// What the comparison says.
    public var outcome: Outcome
    /// Cells by class (every class present, zero included).
    public var counts: [String: Int]
    /// Every cell, worst change first.
    public var entries: [Entry]

    /// Compares two reports cell by cell. Reports of different profiles, or of different versions
    /// of one profile, are refused unless `allowProfileChange`; `files` name them in messages.
    public static func compare(
        _ before: Report, _ after: Report, allowProfileChange: Bool = false,
        files: (before: String, after: String) = ("before", "after")
    ) throws(CompareError) -> ReportDiff {
        let origins = (ReportOrigin(file: files.before, before), ReportOrigin(file: files.after, after))
        guard allowProfileChange || origins.0.sameProfile(as: origins.1) else {
            throw .differentProfiles(origins.0, origins.1)
        }
        let entries = CellPairing(before: before, after: after).pairs.map(compareCell)
        let order = Change.allCases
        let sorted = entries.enumerated().sorted {
            let left = order.firstIndex(of: $0.element.change) ?? 0
            let right = order.firstIndex(of: $1.element.change) ?? 0
            return (left, $0.offset) < (right, $1.offset)
        }.map(\.element)
        var counts: [String: Int] = [:]
        for change in Change.allCases { counts[change.rawValue] = sorted.filter { $0.change == change }.count }
        let outcome: Outcome
        if sorted.contains(where: { $0.change == .regression || $0.change == .newFailure }) {
            outcome = .regression
        } else if sorted.contains(where: { $0.change == .notMeasured || $0.change == .inconclusive }) {
            outcome = .inconclusive
        } else {
            outcome = .noRegression
        }
        return ReportDiff(
            profile: after.profile.name, beforeFile: files.before, afterFile: files.after,
            beforeStarted: before.run.started, afterStarted: after.run.started, beforeHost: before.run.host,
            afterHost: after.run.host, outcome: outcome, counts: counts, entries: sorted)
    }

    /// True when a cell regressed or a new one fails (`diff` exits 1).
    public var hasRegression: Bool { outcome == .regression }

    /// True when nothing regressed but a cell measured before was not measured after, or is
    /// inconclusive now (`diff` exits 2).
    public var isInconclusive: Bool { outcome == .inconclusive }

    // MARK: - One cell

    static func compareCell(_ pair: CellPairing.Pair) -> Entry {
        let (old, new) = (pair.before, pair.after)
        let oldVerdict = cellVerdict(old)
        let newVerdict = cellVerdict(new)
        let measuredBefore = oldVerdict.map { $0 != .skipped } ?? false
        let measuredAfter = newVerdict.map { $0 != .skipped } ?? false
        let checks = pairAddresses(old, new)
        let same = signature(old) == signature(new)
        let change: Change
        if !measuredAfter {
            if measuredBefore {
                change = .notMeasured
            } else if new.isEmpty {
                change = .removed
            } else {
                change = old.isEmpty ? .added : .unchanged
            }
        } else if !measuredBefore {
            change = newVerdict == .fail ? .newFailure : .added
        } else if newVerdict == .fail {
            if oldVerdict != .fail || checks.contains(where: { $0.status == .regression }) {
                change = .regression
            } else {
                change = same ? .unchanged : .changed
            }
        } else if newVerdict == .inconclusive {
            change = .inconclusive
        } else if oldVerdict == .fail {
            change = .fixed
        } else {
            change = same ? .unchanged : .changed
        }
        return Entry(
            id: pair.cell.description, cell: pair.cell, change: change, before: label(old), after: label(new),
            addresses: addressChange(old, new), reason: reason(change, old, new), checks: checks)
    }

    /// The cell's verdict: nil without checks, skipped when none ran, else the worst of the ones that ran.
    static func cellVerdict(_ checks: [CheckRecord]) -> Verdict? {
        guard !checks.isEmpty else { return nil }
        let ran = checks.map(\.verdict).filter { $0 != .skipped }
        return ran.isEmpty ? .skipped : Verdict.overall(ran)
    }

    /// What was seen at each address, order and source addresses aside.
    static func signature(_ checks: [CheckRecord]) -> [String] {
        checks.map { "\($0.destination.address ?? "-") \($0.verdict.rawValue) \($0.observed?.rawValue ?? "-")" }
            .sorted()
    }

    /// "pass (open)", "fail (open, filtered)", "pass (open ×2)", "skipped"; nil without checks.
    static func label(_ checks: [CheckRecord]) -> String? {
        guard let verdict = cellVerdict(checks) else { return nil }
        guard verdict != .skipped else { return "skipped" }
        var seen: [(String, Int)] = []
        for check in checks {
            guard let observed = check.observed?.rawValue else { continue }
            if let index = seen.firstIndex(where: { $0.0 == observed }) {
                seen[index].1 += 1
            } else {
                seen.append((observed, 1))
            }
        }
        let observations = seen.map { $0.1 == 1 ? $0.0 : "\($0.0) ×\($0.1)" }.joined(separator: ", ")
        return "\(verdict.rawValue) (\(observations))"
    }

    static func checkLabel(_ check: CheckRecord) -> String {
        guard let observed = check.observed, check.verdict != .skipped else { return "skipped" }
        return "\(check.verdict.rawValue) (\(observed.rawValue))"
    }

    // MARK: - Addresses

    /// The checks of a cell paired by destination address: the same source address first, then in order.
    static func pairAddresses(_ old: [CheckRecord], _ new: [CheckRecord]) -> [AddressEntry] {
        var keys: [String?] = []
        for check in new + old where !keys.contains(check.destination.address) {
            keys.append(check.destination.address)
        }
        var entries: [AddressEntry] = []
        for key in keys {
            var before = old.filter { $0.destination.address == key }
            var after = new.filter { $0.destination.address == key }
            var pairs: [(CheckRecord, CheckRecord)] = []
            for check in after {
                if let match = before.firstIndex(where: { $0.source.address == check.source.address }) {
                    pairs.append((before.remove(at: match), check))
                    after.removeAll { $0 == check }
                }
            }
            while !before.isEmpty && !after.isEmpty { pairs.append((before.removeFirst(), after.removeFirst())) }
            for (previous, current) in pairs {
                entries.append(
                    AddressEntry(
                        address: key, status: status(previous, current), before: checkLabel(previous),
                        after: checkLabel(current), sourceAddress: current.source.address, reason: current.reason))
            }
            for current in after {
                entries.append(
                    AddressEntry(
                        address: key, status: .new, before: nil, after: checkLabel(current),
                        sourceAddress: current.source.address, reason: current.reason))
            }
            for previous in before {
                entries.append(
                    AddressEntry(
                        address: key, status: .gone, before: checkLabel(previous), after: nil,
                        sourceAddress: previous.source.address, reason: previous.reason))
            }
        }
        return entries
    }

    static func status(_ before: CheckRecord, _ after: CheckRecord) -> AddressEntry.Status {
        if after.verdict == .fail && before.verdict != .fail && before.verdict != .skipped { return .regression }
        if before.verdict == .fail && after.verdict == .pass { return .fixed }
        if before.verdict != after.verdict || before.observed != after.observed { return .changed }
        return .unchanged
    }

    /// The address change in words, nil when the measured addresses did not move.
    static func addressChange(_ old: [CheckRecord], _ new: [CheckRecord]) -> String? {
        let old = old.filter { $0.verdict != .skipped }
        let new = new.filter { $0.verdict != .skipped }
        guard !old.isEmpty, !new.isEmpty else { return nil }
        let was = unique(old.compactMap(\.destination.address))
        let now = unique(new.compactMap(\.destination.address))
        if now.isEmpty, let failure = new.first(where: { $0.observed == .dnsFailed }), !was.isEmpty {
            return "no longer resolves (\(failure.reason)); it resolved to \(list(was)) before"
        }
        if was.isEmpty, old.contains(where: { $0.observed == .dnsFailed }), !now.isEmpty {
            return "resolves again, to \(list(now)); it did not resolve before"
        }
        guard Set(was) != Set(now), !was.isEmpty, !now.isEmpty else { return nil }
        var parts: [String] = []
        let listed = was.count == now.count || (was.count <= 2 && now.count <= 2)
        if listed {
            parts.append("now resolves to \(list(now)) instead of \(list(was))")
        } else {
            parts.append("now resolves to \(now.count) addresses instead of \(was.count)")
        }
        let added = now.filter { !was.contains($0) }
        let phrases = added.map { address in
            let checks = new.filter { $0.destination.address == address }
            return "\(address) \(verb(cellVerdict(checks) ?? .skipped, checks))"
        }
        if phrases.count == 1, let phrase = phrases.first {
            parts.append("the new one \(phrase)")
        } else if !phrases.isEmpty {
            parts.append("the new ones: \(phrases.joined(separator: ", "))")
        }
        let gone = was.filter { !now.contains($0) }
        if !gone.isEmpty && !listed { parts.append("gone: \(list(gone))") }
        return parts.joined(separator: "; ")
    }

    static func verb(_ verdict: Verdict, _ checks: [CheckRecord]) -> String {
        let observed = checks.compactMap(\.observed).map(\.rawValue)
        let seen = unique(observed).joined(separator: ", ")
        switch verdict {
        case .pass: return "passes"
        case .fail: return "fails (\(seen))"
        case .inconclusive: return "is inconclusive (\(seen))"
        case .skipped: return "was skipped"
        }
    }

    static func unique(_ items: [String]) -> [String] {
        items.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
    }

    static func list(_ addresses: [String]) -> String {
        addresses.count <= 4 ? addresses.joined(separator: ", ") : "\(addresses.count) addresses"
    }

    // MARK: - Reasons

    static func reason(_ change: Change, _ old: [CheckRecord], _ new: [CheckRecord]) -> String {
        func described(_ check: CheckRecord, among checks: [CheckRecord]) -> String {
            let addresses = Set(checks.map(\.destination.address))
            guard addresses.count > 1, let address = check.destination.address else { return check.reason }
            return "\(address): \(check.reason)"
        }
        switch change {
        case .notMeasured:
            if let skipped = new.first {
                return "not measured after the change: \(skipped.reason)"
            }
            return "the after report has no check of this cell (its flow, source group or destination host is "
                + "gone from the profile, or the run took another path)"
        case .removed:
            return "only in the before report, where it was not measured either"
                + (old.first.map { ": \($0.reason)" } ?? "")
        default:
            // The failing check, else the one whose outcome moved, else the first that ran.
            let moved = new.first { check in
                !old.contains {
                    $0.destination.address == check.destination.address && $0.verdict == check.verdict
                        && $0.observed == check.observed
                }
            }
            let worst =
                new.first { $0.verdict == .fail } ?? new.first { $0.verdict == .inconclusive } ?? moved
                ?? new.first { $0.verdict != .skipped } ?? new.first
            return worst.map { described($0, among: new) } ?? ""
        }
    }

    // MARK: - Markdown

    /// The diff as Markdown for the change ticket.
    public func markdown() -> String {
        var out = ["# nlsprobe diff: \(MarkdownText.inline(profile))", ""]
        let line = Change.allCases.map { "\(counts[$0.rawValue] ?? 0) \($0.words)" }.joined(separator: ", ")
        let cells = "\(entries.count) cell\(entries.count == 1 ? "" : "s")"
        switch outcome {
        case .regression:
            out.append("**REGRESSION** in \(cells): \(line).")
        case .inconclusive:
            out.append(
                "**INCONCLUSIVE** in \(cells): \(line). Cells measured before the change were not measured after "
                    + "it: the change cannot be called safe for them.")
        case .noRegression:
            out.append("**No regression** in \(cells): \(line).")
        }
        out.append("")
        out.append(
            "Before: \(MarkdownText.code(beforeFile)), run started \(MarkdownText.inline(beforeStarted)) on "
                + "\(MarkdownText.inline(beforeHost)). After: \(MarkdownText.code(afterFile)), run started "
                + "\(MarkdownText.inline(afterStarted)) on \(MarkdownText.inline(afterHost)).")
        out.append("")
        out.append(
            "A cell is a source group (and subnet), a destination host, a protocol and port, and a path (direct "
                + "or a proxy); it holds one check per address the name resolved to. Checks are paired by "
                + "address; addresses only one run saw are shown as the address change.")
        out.append("")
        let moved = entries.filter { $0.change != .unchanged }
        if moved.isEmpty {
            out.append("Nothing changed.")
        } else {
            out.append("| Change | Cell | Before | After | Addresses | Reason |")
            out.append("| --- | --- | --- | --- | --- | --- |")
            for entry in moved {
                let cells = [
                    entry.change.words, MarkdownText.code(entry.id, inTable: true), entry.before ?? "–",
                    entry.after ?? "–", MarkdownText.inline(addressDetail(entry)),
                    MarkdownText.inline(entry.reason),
                ]
                out.append("| " + cells.joined(separator: " | ") + " |")
            }
        }
        out.append("")
        return out.joined(separator: "\n")
    }

    /// The address change, and which paired addresses moved when the cell has several.
    func addressDetail(_ entry: Entry) -> String {
        var parts = entry.addresses.map { [$0] } ?? []
        let paired = entry.checks.filter { $0.status != .new && $0.status != .gone && $0.status != .unchanged }
        let bothMeasured = [.regression, .fixed, .changed, .inconclusive].contains(entry.change)
        if entry.checks.count > 1 && bothMeasured {
            for check in paired {
                parts.append("\(check.address ?? "unresolved"): \(check.before ?? "–") → \(check.after ?? "–")")
            }
        }
        return parts.isEmpty ? "–" : parts.joined(separator: "; ")
    }
}
