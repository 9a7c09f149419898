/// The JSON report, source of truth for every other format.
public struct Report: Codable, Sendable, Equatable {
    /// The schema identifier this model writes.
    public static let schemaID = "nlsprobe/report/v1"

    /// Always `nlsprobe/report/v1`.
    public var schema: String = Report.schemaID
    /// The tool that wrote the report.
    public var tool: ToolInfo
    /// The profile that was run.
    public var profile: ProfileInfo
    /// When, where and how the run happened.
    public var run: RunInfo
    /// Counts and the run's verdict.
    public var summary: Summary
    /// The flows of the profile, in order (one row each in the Markdown flow table).
    public var flows: [FlowInfo]
    /// Every check, in plan order.
    public var checks: [CheckRecord]
    /// In a report merged from a fleet: every probe host, reported or expected and silent.
    public var probeHosts: [ProbeHost]?

    /// Creates a report; the summary is computed from the checks.
    public init(tool: ToolInfo, profile: ProfileInfo, run: RunInfo, flows: [FlowInfo], checks: [CheckRecord]) {
        self.tool = tool
        self.profile = profile
        self.run = run
        self.flows = flows
        self.checks = checks
        self.summary = Summary(checks.map(\.verdict))
    }
}
