import NLSProbeCore

/// JUnit XML for CI pipelines (Jenkins, GitLab): one testsuite per flow, one testcase per check.
/// Failed checks are failures, inconclusive ones errors, skipped ones skipped.
public enum JUnitReport {
    /// Renders the report.
    public static func render(_ report: Report) -> String {
        var out = ["<?xml version=\"1.0\" encoding=\"UTF-8\"?>"]
        let summary = report.summary
        out.append(
            "<testsuites name=\"\(escape("nlsprobe \(report.profile.name)"))\" tests=\"\(summary.total)\" "
                + "failures=\(quote(summary.fail)) errors=\(quote(summary.inconclusive)) skipped=\(quote(summary.skipped)) "
                + "time=\(quote(seconds(report.checks.map(\.timingsMs.total).reduce(0, +))))>")
        for flow in report.flows {
            let checks = report.checks.filter { $0.flow.index == flow.index }
            let name =
                "\(report.profile.name) flow \(UntrustedNumber.ordinal(flow.index)): \(flow.ports)/\(flow.protocol.rawValue) \(flow.from) -> \(flow.to)"
            out.append(
                "  <testsuite name=\"\(escape(name))\" tests=\"\(checks.count)\" "
                    + "failures=\(quote(checks.filter { $0.verdict == .fail }.count)) "
                    + "errors=\(quote(checks.filter { $0.verdict == .inconclusive }.count)) "
                    + "skipped=\(quote(checks.filter { $0.verdict == .skipped }.count)) "
                    + "time=\(quote(seconds(checks.map(\.timingsMs.total).reduce(0, +)))) "
                    + "timestamp=\"\(escape(String(report.run.started.dropLast())))\" hostname=\"\(escape(report.run.host))\">"
            )
            let classname = escape("nlsprobe.\(report.profile.name).flow\(UntrustedNumber.ordinal(flow.index))")
            for check in checks {
                let open =
                    "    <testcase classname=\"\(classname)\" name=\"\(escape(check.id))\" time=\(quote(seconds(check.timingsMs.total)))"
                let message = escape("\(check.observed?.rawValue ?? "skipped"): \(check.reason)")
                switch check.verdict {
                case .pass:
                    out.append(open + "/>")
                case .fail:
                    out.append(open + ">")
                    out.append(
                        "      <failure message=\"\(message)\" type=\"\(escape(check.observed?.rawValue ?? ""))\">\(escape(Hints.hint(for: check, profile: report.profile)))</failure>"
                    )
                    out.append("    </testcase>")
                case .inconclusive:
                    out.append(open + ">")
                    out.append(
                        "      <error message=\"\(message)\" type=\"\(escape(check.observed?.rawValue ?? ""))\">\(escape(Hints.hint(for: check, profile: report.profile)))</error>"
                    )
                    out.append("    </testcase>")
                case .skipped:
                    out.append(open + ">")
                    out.append("      <skipped message=\"\(escape(check.reason))\"/>")
                    out.append("    </testcase>")
                }
            }
            out.append("  </testsuite>")
        }
        out.append("</testsuites>")
        return out.joined(separator: "\n") + "\n"
    }

    static func quote(_ value: Int) -> String { "\"\(value)\"" }
    static func quote(_ value: String) -> String { "\"\(value)\"" }

    /// Seconds for the `time` attributes; numbers from a file that are not sane become 0.000.
    static func seconds(_ milliseconds: Double) -> String {
        UntrustedNumber.seconds(milliseconds: milliseconds)
    }

    /// XML-escapes text for attributes and content (see ``XMLText/escape(_:)``).
    static func escape(_ text: String) -> String {
        XMLText.escape(text)
    }
}

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
