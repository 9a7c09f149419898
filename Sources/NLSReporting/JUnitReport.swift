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
                "\(report.profile.name) flow \(flow.index + 1): \(flow.ports)/\(flow.protocol.rawValue) \(flow.from) -> \(flow.to)"
            out.append(
                "  <testsuite name=\"\(escape(name))\" tests=\"\(checks.count)\" "
                    + "failures=\(quote(checks.filter { $0.verdict == .fail }.count)) "
                    + "errors=\(quote(checks.filter { $0.verdict == .inconclusive }.count)) "
                    + "skipped=\(quote(checks.filter { $0.verdict == .skipped }.count)) "
                    + "time=\(quote(seconds(checks.map(\.timingsMs.total).reduce(0, +)))) "
                    + "timestamp=\"\(escape(String(report.run.started.dropLast())))\" hostname=\"\(escape(report.run.host))\">"
            )
            let classname = escape("nlsprobe.\(report.profile.name).flow\(flow.index + 1)")
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
                        "      <failure message=\"\(message)\" type=\"\(check.observed?.rawValue ?? "")\">\(escape(Hints.hint(for: check)))</failure>"
                    )
                    out.append("    </testcase>")
                case .inconclusive:
                    out.append(open + ">")
                    out.append(
                        "      <error message=\"\(message)\" type=\"\(check.observed?.rawValue ?? "")\">\(escape(Hints.hint(for: check)))</error>"
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

    static func seconds(_ milliseconds: Double) -> String {
        String(format: "%.3f", milliseconds / 1000)
    }

    /// XML-escapes text for attributes and content; drops characters XML 1.0 does not allow.
    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\n": out += "&#10;"
            case "\t", "\r": out += " "
            default:
                if scalar.value >= 0x20 { out.unicodeScalars.append(scalar) }
            }
        }
        return out
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
            ("profile", profile), ("flow", String(check.flow.index + 1)), ("source", check.source.group),
            ("source_address", check.source.address ?? ""), ("destination", check.destination.group),
            ("host", check.destination.host), ("address", check.destination.address ?? ""),
            ("port", String(check.flow.port)), ("protocol", check.flow.protocol.rawValue),
            ("proxy", check.proxy ?? ""), ("expect", check.expect.rawValue),
            ("observed", check.observed?.rawValue ?? ""),
        ].map { "\($0.0)=\"\(escape($0.1))\"" }.joined(separator: ",")
    }

    /// Label values: backslash, double quote and line feed escaped, as the exposition format says.
    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    static func epoch(_ iso: String) -> Double {
        Timestamps.parse(iso)?.timeIntervalSince1970 ?? 0
    }
}
