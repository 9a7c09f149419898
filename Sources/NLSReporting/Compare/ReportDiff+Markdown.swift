import NLSProbeCore

extension ReportDiff {
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
