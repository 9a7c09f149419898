import NLSProbeCore

/// Prometheus text exposition for the node_exporter textfile collector.
public enum PrometheusReport {
    /// Renders the report's metrics.
    public static func render(_ report: Report, finished: Double? = nil) -> String {
        let profile = report.profile.name
        var out: [String] = []
        out += [
            "# HELP nlsprobe_check_success 1 when the check passed, 0 when it failed or was inconclusive (skipped checks are not exported).",
            "# TYPE nlsprobe_check_success gauge",
        ]
        let ran = report.checks.filter { $0.verdict != .skipped }
        for check in ran {
            out.append("nlsprobe_check_success{\(labels(check, profile: profile))} \(check.verdict == .pass ? 1 : 0)")
        }
        out += [
            "# HELP nlsprobe_check_duration_seconds Wall time of the check, every attempt included.",
            "# TYPE nlsprobe_check_duration_seconds gauge",
        ]
        for check in ran {
            out.append(
                "nlsprobe_check_duration_seconds{\(labels(check, profile: profile))} \(number(check.timingsMs.total / 1000))"
            )
        }
        out += [
            "# HELP nlsprobe_run_checks Checks of the last run by verdict.", "# TYPE nlsprobe_run_checks gauge",
        ]
        let summary = report.summary
        for (verdict, count) in [
            ("pass", summary.pass), ("fail", summary.fail), ("inconclusive", summary.inconclusive),
            ("skipped", summary.skipped),
        ] {
            out.append("nlsprobe_run_checks{profile=\"\(escape(profile))\",verdict=\"\(verdict)\"} \(count)")
        }
        out += [
            "# HELP nlsprobe_run_success 1 when every check of the last run passed.",
            "# TYPE nlsprobe_run_success gauge",
            "nlsprobe_run_success{profile=\"\(escape(profile))\"} \(summary.verdict == .pass ? 1 : 0)",
            "# HELP nlsprobe_run_started_timestamp_seconds When the last run started.",
            "# TYPE nlsprobe_run_started_timestamp_seconds gauge",
            "nlsprobe_run_started_timestamp_seconds{profile=\"\(escape(profile))\"} \(number(epoch(report.run.started)))",
            "# HELP nlsprobe_run_finished_timestamp_seconds When the last run finished.",
            "# TYPE nlsprobe_run_finished_timestamp_seconds gauge",
            "nlsprobe_run_finished_timestamp_seconds{profile=\"\(escape(profile))\"} \(number(finished ?? epoch(report.run.finished)))",
        ]
        return out.joined(separator: "\n") + "\n"
    }

    static func labels(_ check: CheckRecord, profile: String) -> String {
        [
            ("profile", profile), ("flow", UntrustedNumber.ordinal(check.flow.index)), ("source", check.source.group),
            ("source_address", check.source.address ?? ""), ("destination", check.destination.group),
            ("host", check.destination.host), ("address", check.destination.address ?? ""),
            ("port", String(check.flow.port)), ("protocol", check.flow.protocol.rawValue),
            ("proxy", Credentials.redacted(check.proxy ?? "")), ("expect", check.expect.rawValue),
            ("observed", check.observed?.rawValue ?? ""),
        ].map { "\($0.0)=\"\(escape($0.1))\"" }.joined(separator: ",")
    }

    /// Label values (see ``PrometheusText/labelValue(_:)``).
    static func escape(_ text: String) -> String {
        PrometheusText.labelValue(text)
    }

    /// Sample values (see ``PrometheusText/sampleValue(_:)``).
    static func number(_ value: Double) -> String {
        PrometheusText.sampleValue(value)
    }

    static func epoch(_ iso: String) -> Double {
        Timestamps.parse(iso)?.timeIntervalSince1970 ?? 0
    }
}
