import Foundation
import NLSProbeCore

/// Renders a report in any format.
public enum ReportRenderer {
    /// The report's bytes in `format`.
    public static func render(_ report: Report, as format: ReportFormat) -> Data {
        switch format {
        case .json: JSONReport.encode(report)
        case .md: Data(MarkdownReport.render(report).utf8)
        case .junit: Data(JUnitReport.render(report).utf8)
        case .prom: Data(PrometheusReport.render(report).utf8)
        case .html: Data(HTMLReport.render(report).utf8)
        case .csv: Data(CSVReport.render(report).utf8)
        case .jira: Data(JiraReport.render(report).utf8)
        }
    }

    /// Writes the report in `format` to `path`, whole or not at all; JSON is streamed to the file.
    /// With `replace` false an existing file is never replaced (see ``AtomicFile``).
    public static func write(_ report: Report, as format: ReportFormat, to path: String, replace: Bool = true)
        throws(ReportError)
    {
        switch format {
        case .json: try AtomicFile.write(to: path, replace: replace) { emit in JSONReport.write(report, to: emit) }
        default: try AtomicFile.write(render(report, as: format), to: path, replace: replace)
        }
    }
}
