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

    static func observedSummary(_ checks: [CheckRecord]) -> String {
        var counts: [(String, Int)] = []
        for check in checks {
            let label = check.observed?.rawValue ?? (check.notMeasured == true ? "not measured" : "skipped")
            if let index = counts.firstIndex(where: { $0.0 == label }) {
                counts[index].1 += 1
            } else {
                counts.append((label, 1))
            }
        }
        return counts.map { $0.1 > 1 ? "\($0.0) ×\($0.1)" : $0.0 }.joined(separator: ", ")
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
                if !pathHeader.isEmpty { row.append(path.map { "via \(Credentials.redacted($0))" } ?? "direct") }
                row += [
                    flow.expect.rawValue, checks.isEmpty ? "no checks" : observedSummary(checks),
                    checks.isEmpty ? "" : result(checks, merged: merged),
                ]
                if merged {
                    let hosts = checks.compactMap(\.measuredBy).reduce(into: [String]()) {
                        if !$0.contains($1) { $0.append($1) }
                    }
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
        var paths: [String?] = []
        for check in checks where !paths.contains(check.proxy) { paths.append(check.proxy) }
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
        return check.proxy.map { "\(source) via \(Credentials.redacted($0))" } ?? source
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
            var text = "proxy \(Credentials.redacted(proxy.url))"
            if let address = proxy.address { text += " at \(address)" }
            let said = [
                proxy.status.map { "answered \($0)" }, proxy.server.map { "Server: \($0)" },
                proxy.via.map { "Via: \($0)" },
                proxy.error.map { "X-Squid-Error: \($0)" },
                proxy.authOffered.isEmpty ? nil : "offers \(proxy.authOffered.joined(separator: ", ")) authentication",
                proxy.credentialsSent ? "credentials sent" : nil,
            ].compactMap { $0 }
            if !said.isEmpty { text += ": " + said.joined(separator: ", ") }
            lines.append(cell(text))
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
        }
        let timings = check.timingsMs
        let phases = [
            ("dns", timings.dns), ("connect", timings.connect), ("tls", timings.tls), ("request", timings.request),
        ]
        .compactMap { name, value in value.map { "\(name) \(format($0)) ms" } }
        lines.append(
            "timings: "
                + (phases + ["total \(format(timings.total)) ms (name resolution and every attempt)"]).joined(
                    separator: ", "))
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

    /// Milliseconds from the file: whole numbers without a fraction; huge ones never trap.
    static func format(_ value: Double) -> String {
        UntrustedNumber.text(value)
    }

    /// Untrusted text for a paragraph, list item or table cell (see ``MarkdownText/inline(_:)``).
    static func cell(_ text: String) -> String {
        MarkdownText.inline(text)
    }
}

/// Concrete next steps per observation: which rule to open, which CA to trust.
public enum Hints {
    /// The hint for a failed or inconclusive check. With the report's `profile`, a profile made
    /// from a client configuration token (`--token`, no profile file to edit) gets hints that name
    /// command-line options only.
    public static func hint(for check: CheckRecord, profile: ProfileInfo? = nil) -> String {
        let fromToken = profile?.reference?.hasPrefix("client configuration token ") == true
        let source = check.source.address ?? "the \(check.source.group) subnet"
        let destination = check.destination.address ?? check.destination.host
        let port = "\(check.flow.port)/tcp"
        guard let observed = check.observed else { return "The check did not run from this host." }
        if check.expect == .block && check.verdict == .fail {
            return
                "The change request says this flow must be blocked, but \(destination) \(port) answered from \(source). Add or fix the deny rule for \(source) → \(destination) \(port)."
        }
        switch observed {
        case .open:
            return "No action needed."
        case .refused where check.evidence.wire?.injectedReset == true:
            return
                "A firewall or middlebox on the path rejects \(source) → \(destination) \(port) with tcp-reset (the reset's TTL shows it did not come from the server). Open that rule."
        case .refused:
            return
                "A TCP reset came back: nothing listens on \(destination) \(port), or a firewall rejects with tcp-reset. Check the service is up; if it is, open \(source) → \(destination) \(port)."
        case .filtered:
            return
                "Something silently drops \(source) → \(destination) \(port). Open that rule on the firewall in the path (and check the return route)."
        case .unreachable:
            return
                "An ICMP error or a missing route stops \(source) → \(destination) \(port). Look for a 'reject with icmp' rule or a missing route on the path."
        case .dnsFailed:
            return
                "Make this host's resolver (/etc/resolv.conf) answer for \(check.destination.host); with split-horizon DNS, the client subnet's resolver must know it. Then run again."
        case .tlsFailed where check.evidence.wire?.resetAfterClientHello == true:
            return
                "TCP reaches \(destination) \(port), but the ClientHello is answered by a reset: look for DPI/SNI filtering on the path (a firewall or proxy that blocks by server name)."
        case .tlsFailed:
            return
                "TCP reaches \(destination) \(port) but TLS does not complete: look for DPI/SNI filtering or a cipher policy on the path, or a service on this port that does not speak TLS."
        case .tlsUntrusted:
            return
                "Make the certificate trusted: give the service's CA with "
                + (fromToken ? "--ca-file FILE" : "--ca-file FILE or tls.ca_file in the profile")
                + " (a DLS with its own CA), or fix the certificate (its name must be \(check.destination.host), and it must be in its validity period)."
        case .tlsIntercepted:
            return
                "Something re-signs TLS to \(check.destination.host): exempt it from TLS inspection on the proxy or firewall (licensed clients reject re-signed certificates)."
        case .proxyUnreachable:
            return
                "The proxy could not be reached from \(source): check the proxy address and that the firewall allows this host to the proxy port."
        case .proxyAuthRequired:
            return
                "The proxy wants credentials: set them in the variable the profile names in proxy_credentials_env (\"user:password\")."
        case .proxyDenied:
            return
                "The proxy's ACL refuses CONNECT to \(check.destination.host):\(check.flow.port): allow it in the proxy's rules."
        case .proxyFailed:
            return
                "The proxy could not reach \(check.destination.host):\(check.flow.port), or did not answer properly itself (see the reason): open egress from the proxy to it, or fix the proxy."
        case .proxyUnverified:
            return
                "The proxy answered the plain HTTP request itself without marking it as forwarded (no Via header): check the proxy's logs for \(check.destination.host):\(check.flow.port), or test with https, whose CONNECT the proxy must answer."
        case .httpError:
            return
                "The connection works but no valid HTTP answer came: look for a middlebox that breaks HTTP, or check that this port serves HTTP."
        case .localError:
            return
                "This host could not run the check (\(check.reason)). Fix the probe host and run again; the network was not tested."
        }
    }
}
