import Foundation

/// The report formats nlsprobe writes.
public enum ReportFormat: String, Sendable, CaseIterable {
    /// The JSON report, source of truth.
    case json
    /// Markdown for change tickets.
    case md
    /// JUnit XML for CI pipelines.
    case junit
    /// Prometheus text exposition for the node_exporter textfile collector.
    case prom
    /// One self-contained HTML file: sortable, filterable, prints on A4.
    case html
    /// CSV, one row per check, for spreadsheets and ticket imports.
    case csv
    /// Jira wiki markup for tickets.
    case jira

    /// The file extension.
    public var fileExtension: String {
        switch self {
        case .junit: "junit.xml"
        case .jira: "jira.txt"
        default: rawValue
        }
    }

    /// The formats of a comma-separated list such as "json,md" (spaces allowed), in order and
    /// without repeats.
    ///
    /// - Throws: ``ReportFormatError`` naming the first name that is not a format.
    public static func list(_ text: String) throws(ReportFormatError) -> [ReportFormat] {
        var formats: [ReportFormat] = []
        for name in text.split(separator: ",", omittingEmptySubsequences: false) {
            let trimmed = name.trimmingCharacters(in: .whitespaces)
            guard let format = ReportFormat(rawValue: trimmed) else { throw ReportFormatError(name: trimmed) }
            if !formats.contains(format) { formats.append(format) }
        }
        return formats
    }
}
