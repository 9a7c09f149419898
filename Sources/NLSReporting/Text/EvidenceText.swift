import NLSProbeCore

/// A check's evidence as plain sentences, for the formats that escape text themselves (HTML, CSV,
/// Jira): what the name resolved to, the local address, the attempts, TLS, the proxy, HTTP, the
/// wire and the timings. Nothing here is escaped: every caller escapes each line for its format.
/// Proxy URLs have their user part redacted.
public enum EvidenceText {
    /// One sentence per piece of evidence the check has, timings last.
    public static func lines(_ check: CheckRecord) -> [String] {
        var lines: [String] = []
        let evidence = check.evidence
        if !evidence.resolvedAddresses.isEmpty {
            lines.append("\(check.destination.host) resolves to \(evidence.resolvedAddresses.joined(separator: ", "))")
        }
        if let address = evidence.localAddress {
            lines.append("sent from \(address)\(evidence.localPort.map { ":\($0)" } ?? "")")
        }
        if check.attempts.count > 1 {
            lines.append(
                "\(check.attempts.count) attempts: " + check.attempts.map(\.observed.rawValue).joined(separator: ", "))
        }
        if let tls = evidence.tls {
            let parts = [tls.version, tls.cipher, tls.alpn.map { "ALPN \($0)" }].compactMap { $0 }
            if !parts.isEmpty { lines.append("TLS " + parts.joined(separator: ", ")) }
            if let leaf = tls.chain.first {
                lines.append(
                    "certificate \(leaf.subject) issued by \(leaf.issuer), valid \(leaf.notBefore) to \(leaf.notAfter), "
                        + "SHA-256 \(leaf.sha256)")
            }
        }
        if let proxy = evidence.proxy { lines.append(ProxyText.evidence(proxy)) }
        if let http = evidence.http {
            let answeredBy = evidence.proxy?.error != nil ? "the proxy's error page" : "the service"
            var text = "HTTP \(http.status) answered by \(answeredBy)"
            if let server = http.server { text += ", Server: \(server)" }
            if let via = http.via { text += ", Via: \(via)" }
            lines.append(text)
        }
        if let wire = evidence.wire { lines.append("wire: \(wire.summary)") }
        lines.append("timings: " + timings(check.timingsMs))
        return lines
    }

    /// "dns 1.5 ms, connect 2.1 ms, total 14.2 ms": the phases a check went through, as the file
    /// has them (huge or non-finite values render, never trap).
    public static func timings(_ timings: Timings) -> String {
        func milliseconds(_ value: Double) -> String { "\(UntrustedNumber.text(value)) ms" }
        let phases = [
            ("dns", timings.dns), ("connect", timings.connect), ("tls", timings.tls), ("request", timings.request),
        ]
        .compactMap { name, value in value.map { "\(name) \(milliseconds($0))" } }
        return (phases + ["total \(milliseconds(timings.total))"]).joined(separator: ", ")
    }

    /// The path of a check: "direct", or "via PROXY" with the user part of its URL redacted.
    public static func path(_ check: CheckRecord) -> String {
        check.proxy.map(ProxyText.via) ?? "direct"
    }

    /// The reason shown for a check: a skipped check's says why it was skipped (see ``SkipReasons``).
    public static func reason(_ check: CheckRecord, merged: Bool) -> String {
        check.verdict == .skipped ? SkipReasons.reason(check, merged: merged) : check.reason
    }
}
