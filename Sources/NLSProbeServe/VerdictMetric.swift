import NLSProbeCore
import NLSReporting

/// `nlsprobe_serve_check_verdict`: every check of a report, skipped ones included, as a number a
/// dashboard can colour (0 pass, 1 skipped, 2 inconclusive, 3 fail: the larger, the worse, so
/// `max` over several addresses of a host gives its worst verdict). `nlsprobe_check_success` is 0
/// for a failure and for an inconclusive check alike; this tells them apart.
public enum VerdictMetric {
    /// The metric's name.
    public static let name = "nlsprobe_serve_check_verdict"

    /// The value of a verdict.
    public static func value(_ verdict: Verdict) -> Int {
        switch verdict {
        case .pass: 0
        case .skipped: 1
        case .inconclusive: 2
        case .fail: 3
        }
    }

    /// The family's HELP and TYPE lines.
    public static let header = [
        "# HELP \(name) Verdict of each check of the last complete run: 0 pass, 1 skipped, 2 inconclusive, 3 fail.",
        "# TYPE \(name) gauge",
    ]

    /// The samples of `report`, one a line. The labels are those of `nlsprobe_check_success`
    /// without `observed` and `expect` (they change with the result and would start new series).
    public static func samples(_ report: Report) -> [String] {
        let profile = report.profile.name
        var order: [String] = []
        var worst: [String: Int] = [:]
        for check in report.checks {
            let labels = [
                ("profile", profile), ("flow", UntrustedNumber.ordinal(check.flow.index)),
                ("source", check.source.group), ("destination", check.destination.group),
                ("host", check.destination.host), ("address", check.destination.address ?? ""),
                ("port", String(check.flow.port)), ("protocol", check.flow.protocol.rawValue),
                ("proxy", Credentials.redacted(check.proxy ?? "")),
            ].map { "\($0.0)=\"\(PrometheusText.labelValue($0.1))\"" }.joined(separator: ",")
            // One series per label set: checks that differ only by source address keep the worst.
            if let known = worst[labels] {
                worst[labels] = max(known, value(check.verdict))
            } else {
                order.append(labels)
                worst[labels] = value(check.verdict)
            }
        }
        let lines = order.map { "\(name){\($0)} \(worst[$0] ?? 0)" }
        return lines
    }
}
