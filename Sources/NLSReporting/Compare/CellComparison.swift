import NLSProbeCore

/// One cell of a diff: its change class, its before and after labels, and why, from the checks
/// each report has of it (see ``ReportDiff``).
enum CellComparison {
    /// The entry for one cell and its checks in each report.
    static func entry(_ pair: CellPairing.Pair) -> ReportDiff.Entry {
        let (old, new) = (pair.before, pair.after)
        let oldVerdict = cellVerdict(old)
        let newVerdict = cellVerdict(new)
        let measuredBefore = oldVerdict.map { $0 != .skipped } ?? false
        let measuredAfter = newVerdict.map { $0 != .skipped } ?? false
        let checks = AddressComparison.pairs(old, new)
        let same = signature(old) == signature(new)
        let change: ReportDiff.Change
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
        return ReportDiff.Entry(
            id: pair.cell.description, cell: pair.cell, change: change, before: label(old), after: label(new),
            addresses: AddressComparison.change(old, new), reason: reason(change, old, new), checks: checks)
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
        return "\(verdict.rawValue) (\(CountedLabels.text(checks.compactMap(\.observed?.rawValue))))"
    }

    /// One check's verdict and observation: "fail (filtered)", or "skipped".
    static func checkLabel(_ check: CheckRecord) -> String {
        guard let observed = check.observed, check.verdict != .skipped else { return "skipped" }
        return "\(check.verdict.rawValue) (\(observed.rawValue))"
    }

    /// Why the cell changed, in the words of its checks.
    static func reason(_ change: ReportDiff.Change, _ old: [CheckRecord], _ new: [CheckRecord]) -> String {
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
}
