import NLSChangeRequest
import NLSProbeCore

/// The Markdown report a network engineer pastes into the change ticket: the verdict, the flow
/// table, the matrix, failed and inconclusive checks with hints, skips, clock skew, the environment.
public enum MarkdownReport {
    /// Renders the whole report.
    public static func render(_ report: Report) -> String {
        var out: [String] = []
        let summary = report.summary
        out.append("# nlsprobe: \(cell(report.profile.name)), \(verdictWord(summary.verdict))")
        out.append("")
        out.append(
            "**Verdict: \(verdictWord(summary.verdict))**: \(summary.total) checks, \(summary.pass) passed, "
                + "\(summary.fail) failed, \(summary.inconclusive) inconclusive, \(summary.skipped) skipped.")
        for warning in report.run.warnings ?? [] {
            out.append("")
            out.append("> ⚠️ Warning: \(cell(warning))")
        }
        if report.run.interrupted {
            out.append("")
            out.append("> The run was interrupted: checks that had not finished are inconclusive (\"interrupted\").")
        }
        out.append("")
        out.append(
            "\(cell(report.profile.title)). Run on \(MarkdownText.code(report.run.host)), \(cell(report.run.started)) to "
                + "\(cell(report.run.finished)).")
        out.append("")
        out.append(contentsOf: FleetMarkdown.sections(report))
        out.append(contentsOf: flowTable(report))
        out.append(contentsOf: matrix(report))
        out.append(contentsOf: problems(report))
        // The rules a firewall team would be asked for, made by the same code as `nlsprobe rules`.
        if let rules = RulesSection.markdown(for: report, hint: { Hints.hint(for: $0, profile: report.profile) }) {
            out.append(rules)
        }
        out.append(contentsOf: skipped(report))
        out.append(contentsOf: clockSkew(report))
        out.append(contentsOf: environment(report))
        return out.joined(separator: "\n") + "\n"
    }

    static func verdictWord(_ verdict: Verdict) -> String {
        switch verdict {
        case .pass: "PASS"
        case .fail: "FAIL"
        case .inconclusive: "INCONCLUSIVE"
        case .skipped: "SKIPPED"
        }
    }

    static func mark(_ verdict: Verdict) -> String {
        switch verdict {
        case .pass: "✅ pass"
        case .fail: "❌ FAIL"
        case .inconclusive: "⚠️ inconclusive"
        case .skipped: "➖ skipped"
        }
    }

    /// One mark for a set of checks: the worst verdict of the checks that ran, with counts when
    /// they differ, and how many were skipped; "skipped" only when none ran.
    static func aggregate(_ checks: [CheckRecord]) -> String {
        if let notMeasured = FleetMarkdown.notMeasuredMark(checks) { return notMeasured }
        let ran = checks.filter { $0.verdict != .skipped }
        let skipped = checks.count - ran.count
        guard let worst = ran.map(\.verdict).max() else {
            return checks.isEmpty ? "" : checks.count == 1 ? mark(.skipped) : "\(mark(.skipped)) (\(checks.count))"
        }
        let passed = ran.filter { $0.verdict == .pass }.count
        var text: String
        if ran.allSatisfy({ $0.verdict == worst }) {
            text = ran.count == 1 ? mark(worst) : "\(mark(worst)) (\(ran.count))"
        } else {
            text = "\(mark(worst)) (\(passed)/\(ran.count) passed)"
        }
        if skipped > 0 { text += ", \(skipped) skipped" }
        return text
    }

    /// The Result cell of a flow row: the marks, then why any of its checks were skipped.
    static func result(_ checks: [CheckRecord], merged: Bool) -> String {
        let marks = aggregate(checks)
        guard let why = SkipReasons.summary(checks, merged: merged) else { return marks }
        return "\(marks): \(why)"
    }

    /// What the checks observed, with counts: "open ×2, filtered, skipped".
    static func observedSummary(_ checks: [CheckRecord]) -> String {
        CountedLabels.text(
            checks.map { $0.observed?.rawValue ?? ($0.notMeasured == true ? "not measured" : "skipped") })
    }

    static func flowTable(_ report: Report) -> [String] {
        var out = ["## Flows", ""]
        // With checks through a proxy, one row per flow and path, so "blocked direct, open through the
        // proxy" reads in one table.
        let paths = pathsOf(report.checks)
        let pathHeader = paths.contains { $0 != nil } ? " Path |" : ""
        let merged = report.checks.contains { $0.measuredBy != nil }
        out.append(
            "| Port | Protocol | Eg-/Ingress | Service | Source | Destination |\(pathHeader) Expect | Observed | Result |"
                + (merged ? " Measured by |" : ""))
        out.append(
            "| --- | --- | --- | --- | --- | --- |\(pathHeader.isEmpty ? "" : " --- |") --- | --- | --- |"
                + (merged ? " --- |" : ""))
        for flow in report.flows {
            let flowChecks = report.checks.filter { $0.flow.index == flow.index }
            for path in paths {
                let checks = flowChecks.filter { $0.proxy == path }
                if checks.isEmpty && path != paths.first { continue }
                var row = [
                    flow.ports, flow.protocol.rawValue.uppercased(), flow.direction.rawValue.capitalized,
                    flow.services.joined(separator: ", "), flow.from, flow.to,
                ]
                if !pathHeader.isEmpty { row.append(path.map(ProxyText.via) ?? "direct") }
                row += [
                    flow.expect.rawValue, checks.isEmpty ? "no checks" : observedSummary(checks),
                    checks.isEmpty ? "" : result(checks, merged: merged),
                ]
                if merged {
                    let hosts = Ordered.unique(checks.compactMap(\.measuredBy))
                    row.append(hosts.isEmpty ? "no host" : hosts.joined(separator: ", "))
                }
                out.append("| " + row.map(cell).joined(separator: " | ") + " |")
            }
        }
        out.append("")
        return out
    }

    /// The paths checks took: nil for direct, then each proxy, in order of appearance.
    static func pathsOf(_ checks: [CheckRecord]) -> [String?] {
        let paths = Ordered.unique(checks.map(\.proxy))
        return paths.isEmpty ? [nil] : paths.sorted { ($0 == nil ? 0 : 1) < ($1 == nil ? 0 : 1) }
    }

    static func matrix(_ report: Report) -> [String] {
        var rows: [String] = []
        var columns: [String] = []
        for check in report.checks {
            let row = rowLabel(check)
            let column = "\(check.destination.group):\(check.flow.port)"
            if !rows.contains(row) { rows.append(row) }
            if !columns.contains(column) { columns.append(column) }
        }
        guard !rows.isEmpty else { return [] }
        var out = [
            "## Matrix", "", "Sources down, destination:port across; one mark per cell (worst verdict of its checks).",
            "",
        ]
        out.append("| Source | " + columns.map(cell).joined(separator: " | ") + " |")
        out.append("| --- |" + String(repeating: " --- |", count: columns.count))
        for row in rows {
            let marks = columns.map { column -> String in
                let checks = report.checks.filter {
                    rowLabel($0) == row && "\($0.destination.group):\($0.flow.port)" == column
                }
                return checks.isEmpty ? "" : aggregate(checks)
            }
            out.append("| " + cell(row) + " | " + marks.map(cell).joined(separator: " | ") + " |")
        }
        out.append("")
        return out
    }

    static func rowLabel(_ check: CheckRecord) -> String {
        var source = check.source.address.map { "\(check.source.group) (\($0))" } ?? check.source.group
        if let host = check.measuredBy { source += " on \(host)" }
        return check.proxy.map { "\(source) \(ProxyText.via($0))" } ?? source
    }

    static func problems(_ report: Report) -> [String] {
        let bad = report.checks.filter {
            ($0.verdict == .fail || $0.verdict == .inconclusive) && $0.notMeasured != true
        }
        guard !bad.isEmpty else { return [] }
        var out = ["## Failed and inconclusive checks", ""]
        for check in bad {
            out.append("### \(mark(check.verdict)): \(MarkdownText.code(check.id))")
            out.append("")
            out.append(
                "- **Expected** \(check.expect.rawValue), **observed** `\(check.observed?.rawValue ?? "none")`: \(cell(check.reason))"
            )
            let evidence = evidenceLines(check)
            if !evidence.isEmpty { out.append("- **Evidence**: " + evidence.joined(separator: "; ")) }
            if let path = check.evidence.path {
                out.append("- **Where**: \(cell(path.summary))")
            } else if let dns = check.evidence.dns {
                out.append("- **Where**: \(cell(dns.summary))")
            }
            out.append("- **Hint**: \(cell(Hints.hint(for: check, profile: report.profile)))")
            out.append("")
        }
        return out
    }

    /// The most check ids listed under one skip reason.
    static let skippedIdsShown = 10

    /// Skipped checks, grouped by reason: what would have run, and what to do to run it.
    static func skipped(_ report: Report) -> [String] {
        let groups = SkipReasons.grouped(report.checks, merged: SkipReasons.isMerged(report))
        guard !groups.isEmpty else { return [] }
        var out = ["## Skipped checks", ""]
        for group in groups {
            let count = group.checks.count
            out.append("- \(mark(.skipped)), \(count) check\(count == 1 ? "" : "s"): \(cell(group.reason))")
            for check in group.checks.prefix(skippedIdsShown) {
                out.append("  - \(MarkdownText.code(check.id))")
            }
            if count > skippedIdsShown { out.append("  - and \(count - skippedIdsShown) more") }
        }
        out.append("")
        return out
    }

    /// Servers whose clock is off by more than the limit: a licensing risk whatever the network does.
    static func clockSkew(_ report: Report) -> [String] {
        let limit = report.run.clockSkewLimitS ?? 60
        let skewed = report.checks.filter { abs($0.evidence.http?.clockSkewS ?? 0) > limit }
        guard !skewed.isEmpty else { return [] }
        var out = ["## Clock skew", ""]
        for check in skewed {
            let skew = check.evidence.http?.clockSkewS ?? 0
            // Both numbers come from the file: huge ones are shown, never converted in a way that traps.
            let seconds = UntrustedNumber.wholeText(abs(skew))
            out.append(
                "- ⚠️ \(MarkdownText.code(check.id)): the server's clock is \(seconds) s \(skew > 0 ? "ahead of" : "behind") this host's "
                    + "(Date: \(cell(check.evidence.http?.date ?? "?"))), more than \(UntrustedNumber.wholeText(limit)) s. Licensed clients report this as "
                    + "\"Clock windback has been detected\" or \"The allowed time to process response has expired\": "
                    + "synchronise both clocks (NTP) before blaming the network.")
        }
        out.append("")
        return out
    }

    /// The evidence of a check as Markdown: every piece a server, proxy or file sent is escaped.
    static func evidenceLines(_ check: CheckRecord) -> [String] {
        var lines: [String] = []
        let evidence = check.evidence
        if !evidence.resolvedAddresses.isEmpty {
            lines.append(
                cell("\(check.destination.host) resolves to \(evidence.resolvedAddresses.joined(separator: ", "))"))
        }
        if let address = evidence.localAddress {
            lines.append(cell("sent from \(address)\(evidence.localPort.map { ":\($0)" } ?? "")"))
        }
        if check.attempts.count > 1 {
            lines.append(
                "\(check.attempts.count) attempts: " + check.attempts.map(\.observed.rawValue).joined(separator: ", "))
        }
        if let tls = evidence.tls {
            let parts = [tls.version, tls.cipher, tls.alpn.map { "ALPN \($0)" }].compactMap { $0 }
            if !parts.isEmpty { lines.append(cell("TLS " + parts.joined(separator: ", "))) }
            if let leaf = tls.chain.first {
                lines.append(
                    "certificate \(MarkdownText.code(leaf.subject)) issued by \(MarkdownText.code(leaf.issuer)), "
                        + cell("valid \(leaf.notBefore) to \(leaf.notAfter), SHA-256 \(leaf.sha256)"))
            }
        }
        if let proxy = evidence.proxy {
            lines.append(cell(ProxyText.evidence(proxy)))
        }
        if let http = evidence.http {
            let answeredBy = evidence.proxy?.error != nil ? "the proxy's error page" : "the service"
            var text = "HTTP \(http.status) answered by \(answeredBy)"
            if let server = http.server { text += ", Server: \(server)" }
            if let via = http.via { text += ", Via: \(via)" }
            lines.append(cell(text))
        }
        if let wire = evidence.wire {
            lines.append(cell("wire: \(wire.summary)"))
        } else if let icmp = evidence.icmp {
            lines.append(cell("ICMP \(icmp.summary), read from the check's socket"))
        }
        let timings = check.timingsMs
        // Milliseconds as the file has them (not rounded like Durations.format): whole numbers
        // without a fraction; huge ones never trap.
        func milliseconds(_ value: Double) -> String { "\(UntrustedNumber.text(value)) ms" }
        let phases = [
            ("dns", timings.dns), ("connect", timings.connect), ("tls", timings.tls), ("request", timings.request),
        ]
        .compactMap { name, value in value.map { "\(name) \(milliseconds($0))" } }
        let total = "total \(milliseconds(timings.total)) (name resolution and every attempt)"
        lines.append("timings: " + (phases + [total]).joined(separator: ", "))
        return lines
    }

    static func environment(_ report: Report) -> [String] {
        let run = report.run
        return [
            "## Environment", "",
            "| | |", "| --- | --- |",
            "| Host | \(MarkdownText.code(run.host, inTable: true)) |",
            "| Local sources | \(run.localSources.isEmpty ? "none" : cell(run.localSources.joined(separator: ", "))) |",
            "| Local addresses used | \(run.localAddresses.isEmpty ? "not bound (the kernel chose)" : cell(run.localAddresses.joined(separator: ", "))) |",
            "| Proxy | \(cell(Credentials.redacted(run.proxy))) |",
            "| Packet capture | \(run.capture.map { "\(MarkdownText.code($0, inTable: true)) (opens in Wireshark)" } ?? "off") |",
            "| Started / finished (UTC) | \(cell(run.started)) / \(cell(run.finished)) |",
            "| Tool | \(cell(report.tool.name)) \(cell(report.tool.version)) |",
            "| Profile | \(MarkdownText.code(report.profile.name, inTable: true)), \(cell(report.profile.digest)) |",
            "| Reference | \(cell(report.profile.reference ?? "none")) |",
            "",
        ]
    }

    /// Untrusted text for a paragraph, list item or table cell (see ``MarkdownText/inline(_:)``).
    static func cell(_ text: String) -> String {
        MarkdownText.inline(text)
    }
}
