import NLSProbeCore

/// The destination addresses of one cell in two reports: the checks paired by address, and the
/// address change in words.
enum AddressComparison {
    /// The checks of a cell paired by destination address: the same source address first, then in order.
    static func pairs(_ old: [CheckRecord], _ new: [CheckRecord]) -> [ReportDiff.AddressEntry] {
        let keys = Ordered.unique((new + old).map(\.destination.address))
        var entries: [ReportDiff.AddressEntry] = []
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
                    ReportDiff.AddressEntry(
                        address: key, status: status(previous, current), before: CellComparison.checkLabel(previous),
                        after: CellComparison.checkLabel(current), sourceAddress: current.source.address,
                        reason: current.reason))
            }
            for current in after {
                entries.append(
                    ReportDiff.AddressEntry(
                        address: key, status: .new, before: nil, after: CellComparison.checkLabel(current),
                        sourceAddress: current.source.address, reason: current.reason))
            }
            for previous in before {
                entries.append(
                    ReportDiff.AddressEntry(
                        address: key, status: .gone, before: CellComparison.checkLabel(previous), after: nil,
                        sourceAddress: previous.source.address, reason: previous.reason))
            }
        }
        return entries
    }

    /// What happened to one address between its check before and its check after.
    static func status(_ before: CheckRecord, _ after: CheckRecord) -> ReportDiff.AddressEntry.Status {
        if after.verdict == .fail && before.verdict != .fail && before.verdict != .skipped { return .regression }
        if before.verdict == .fail && after.verdict == .pass { return .fixed }
        if before.verdict != after.verdict || before.observed != after.observed { return .changed }
        return .unchanged
    }

    /// The address change in words, nil when the measured addresses did not move.
    static func change(_ old: [CheckRecord], _ new: [CheckRecord]) -> String? {
        let old = old.filter { $0.verdict != .skipped }
        let new = new.filter { $0.verdict != .skipped }
        guard !old.isEmpty, !new.isEmpty else { return nil }
        let was = Ordered.unique(old.compactMap(\.destination.address))
        let now = Ordered.unique(new.compactMap(\.destination.address))
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
            return "\(address) \(verb(CellComparison.cellVerdict(checks) ?? .skipped, checks))"
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

    /// What the checks of a new address did: "passes", "fails (filtered)".
    static func verb(_ verdict: Verdict, _ checks: [CheckRecord]) -> String {
        let observed = checks.compactMap(\.observed).map(\.rawValue)
        let seen = Ordered.unique(observed).joined(separator: ", ")
        switch verdict {
        case .pass: return "passes"
        case .fail: return "fails (\(seen))"
        case .inconclusive: return "is inconclusive (\(seen))"
        case .skipped: return "was skipped"
        }
    }

    /// The addresses themselves when there are a few, else how many.
    static func list(_ addresses: [String]) -> String {
        addresses.count <= 4 ? addresses.joined(separator: ", ") : "\(addresses.count) addresses"
    }
}
