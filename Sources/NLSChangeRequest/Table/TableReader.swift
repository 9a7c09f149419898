import Foundation
import NLSProbeCore

/// Reads a change-request file into its tables: bounded in size, decoded line by line, parsed
/// as the format its name or its text says.
public enum TableReader {
    /// The largest table file read, in bytes.
    public static let maxFileBytes = 4 * 1024 * 1024

    /// The tables of the file at `path`, and every problem found while reading them. `format`
    /// nil: the file's extension decides, or its text (see ``TableFormat/sniff(_:)``).
    public static func read(path: String, format: TableFormat? = nil) throws(ChangeRequestError) -> (
        tables: [Table], issues: [ProfileIssue]
    ) {
        let data: Data
        do {
            data = try BoundedFile.read(path: path, limit: maxFileBytes)
        } catch {
            throw .unreadable(path: path, reason: error.description)
        }
        return parse(data, file: path, format: format ?? TableFormat.fromExtension(of: path))
    }

    /// The tables of `data`; `file` names it in issues.
    public static func parse(_ data: Data, file: String, format: TableFormat?) -> (
        tables: [Table], issues: [ProfileIssue]
    ) {
        let text = TableText(data: data, file: file)
        let chosen = format ?? TableFormat.sniff(text.lines)
        let parsed: (tables: [Table], issues: [ProfileIssue])
        switch chosen {
        case .markdown: parsed = MarkdownTableParser.parse(text.lines, file: file)
        case .tsv: parsed = DelimitedTableParser.parse(text.lines, separator: "\t", file: file)
        case .csv: parsed = DelimitedTableParser.parse(text.lines, separator: nil, file: file)
        }
        return (parsed.tables, text.issues + parsed.issues)
    }
}
