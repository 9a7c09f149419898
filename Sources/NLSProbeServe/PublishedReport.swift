import Foundation
import NLSProbeCore
import NLSReporting

/// A complete report as the exporter serves it, rendered once when it is published so that a
/// scrape only copies bytes: scrapes never cost a render, let alone a probe.
public struct PublishedReport: Sendable {
    /// The report.
    public let report: Report
    /// The JSON report (the source of truth, as `nlsprobe run` writes it).
    public let json: Data
    /// The Markdown report.
    public let markdown: Data
    /// The metrics of `--format prom`, then ``VerdictMetric``'s.
    public let metrics: String

    /// Renders `report` in every form the exporter serves.
    public init(_ report: Report) {
        self.report = report
        json = ReportRenderer.render(report, as: .json)
        markdown = ReportRenderer.render(report, as: .md)
        let prom = String(decoding: ReportRenderer.render(report, as: .prom), as: UTF8.self)
        metrics = prom + (VerdictMetric.header + VerdictMetric.samples(report)).joined(separator: "\n") + "\n"
    }
}
