/// How a change-request table is written.
public enum TableFormat: String, Sendable, CaseIterable {
    /// Comma-separated values (also `;`-separated, as spreadsheets in some locales export them).
    case csv
    /// Tab-separated values.
    case tsv
    /// A Markdown (GitHub) table, as tickets hold them.
    case markdown = "md"

    /// The format a file name says (`.csv`, `.tsv`/`.tab`, `.md`/`.markdown`), nil otherwise.
    public static func fromExtension(of path: String) -> TableFormat? {
        let lower = path.lowercased()
        if lower.hasSuffix(".csv") { return .csv }
        if lower.hasSuffix(".tsv") || lower.hasSuffix(".tab") { return .tsv }
        if lower.hasSuffix(".md") || lower.hasSuffix(".markdown") { return .markdown }
        return nil
    }

    /// The format the text itself shows: Markdown when a line starts with `|`, TSV when the first
    /// line that is not blank holds a tab, CSV otherwise.
    public static func sniff(_ lines: [TableText.Line]) -> TableFormat {
        if lines.contains(where: { $0.text.trimmingLeadingSpaces().hasPrefix("|") }) { return .markdown }
        if let first = lines.first(where: { !$0.text.allSatisfy(\.isWhitespace) }), first.text.contains("\t") {
            return .tsv
        }
        return .csv
    }
}

extension String {
    /// The text without the spaces and tabs it starts with.
    func trimmingLeadingSpaces() -> Substring {
        drop { $0 == " " || $0 == "\t" }
    }
}
