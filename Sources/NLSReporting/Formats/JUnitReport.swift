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
                case .fail, .inconclusive:
                    // A failed check is a JUnit failure, an inconclusive one an error.
                    let element = check.verdict == .fail ? "failure" : "error"
                    let hint = escape(Hints.hint(for: check, profile: report.profile))
                    out.append(open + ">")
                    out.append(
                        "      <\(element) message=\"\(message)\" type=\"\(escape(check.observed?.rawValue ?? ""))\">\(hint)</\(element)>"
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
