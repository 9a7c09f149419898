import NLSProbeCore

/// CSV for spreadsheets and ticket imports (RFC 4180, UTF-8, CRLF): a header, then one row per
/// check. Every field is escaped by ``CSVText`` (quoted where needed, never a formula).
public enum CSVReport {
    /// The header row's column names, in order.
    public static let columns = [
        "profile", "host", "started", "check_id", "verdict", "expect", "observed", "flow", "direction", "protocol",
        "port", "services", "source_group", "source_subnet", "source_address", "destination_group",
        "destination_host", "destination_address", "path", "reason", "hint", "attempts", "total_ms", "evidence",
        "measured_by",
    ]

    /// Renders the report.
    public static func render(_ report: Report) -> String {
        var out = CSVText.record(columns)
        let merged = SkipReasons.isMerged(report)
        for check in report.checks {
            let problem = check.verdict == .fail || check.verdict == .inconclusive
            let fields = [
                report.profile.name, report.run.host, report.run.started, check.id, check.verdict.rawValue,
                check.expect.rawValue, check.observed?.rawValue ?? "", UntrustedNumber.ordinal(check.flow.index),
                check.flow.direction.rawValue, check.flow.protocol.rawValue, String(check.flow.port),
                check.flow.services.joined(separator: "; "), check.source.group, check.source.subnet ?? "",
                check.source.address ?? "",
                check.destination.group, check.destination.host, check.destination.address ?? "",
                EvidenceText.path(check), Credentials.redacted(EvidenceText.reason(check, merged: merged)),
                problem ? Hints.hint(for: check, profile: report.profile) : "", String(check.attempts.count),
                UntrustedNumber.text(check.timingsMs.total),
                Credentials.redacted(EvidenceText.lines(check).joined(separator: "; ")), check.measuredBy ?? "",
            ]
            out += CSVText.record(fields)
        }
        return out
    }
}
