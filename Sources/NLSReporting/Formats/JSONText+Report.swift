import NLSProbeCore

/// The report model written field by field, keys in sorted order; optionals the model encodes with
/// `encodeIfPresent` are left out when nil, the ones it encodes always are written as null.
extension JSONText {
    /// Writes the report; `afterCheck` runs after each check (to hand pieces of a long report on).
    mutating func write(_ report: Report, afterCheck: (inout JSONText) -> Void = { _ in }) {
        beginObject()
        key("checks")
        beginArray()
        for check in report.checks {
            element()
            write(check)
            afterCheck(&self)
        }
        endArray()
        key("flows")
        beginArray()
        for flow in report.flows {
            element()
            write(flow)
        }
        endArray()
        if let hosts = report.probeHosts { write(probeHosts: hosts) }
        key("profile")
        write(report.profile)
        key("run")
        write(report.run)
        field("schema", report.schema)
        key("summary")
        write(report.summary)
        key("tool")
        beginObject()
        field("name", report.tool.name)
        field("version", report.tool.version)
        endObject()
        endObject()
    }

    mutating func write(_ profile: ProfileInfo) {
        beginObject()
        field("digest", profile.digest)
        field("name", profile.name)
        optionalString("reference", profile.reference)
        field("title", profile.title)
        endObject()
    }

    mutating func write(_ run: RunInfo) {
        beginObject()
        optionalString("capture", run.capture)
        optionalDouble("clock_skew_limit_s", run.clockSkewLimitS)
        field("finished", run.finished)
        field("host", run.host)
        field("interrupted", run.interrupted)
        field("local_addresses", run.localAddresses)
        field("local_sources", run.localSources)
        field("proxy", run.proxy)
        field("started", run.started)
        if let warnings = run.warnings {
            field("warnings", warnings)
        }
        endObject()
    }

    mutating func write(_ summary: Summary) {
        beginObject()
        field("fail", summary.fail)
        field("inconclusive", summary.inconclusive)
        field("pass", summary.pass)
        field("skipped", summary.skipped)
        field("total", summary.total)
        field("verdict", summary.verdict.rawValue)
        endObject()
    }

    mutating func write(_ flow: FlowInfo) {
        beginObject()
        field("direction", flow.direction.rawValue)
        field("expect", flow.expect.rawValue)
        field("from", flow.from)
        field("index", flow.index)
        optionalString("note", flow.note)
        field("ports", flow.ports)
        field("protocol", flow.protocol.rawValue)
        field("services", flow.services)
        field("to", flow.to)
        endObject()
    }

    mutating func write(_ check: CheckRecord) {
        beginObject()
        key("attempts")
        beginArray()
        for attempt in check.attempts {
            element()
            beginObject()
            field("elapsed_ms", attempt.elapsedMs)
            field("observed", attempt.observed.rawValue)
            field("reason", attempt.reason)
            endObject()
        }
        endArray()
        key("destination")
        beginObject()
        field("address", check.destination.address)
        field("group", check.destination.group)
        field("host", check.destination.host)
        endObject()
        key("evidence")
        write(check.evidence)
        field("expect", check.expect.rawValue)
        key("flow")
        write(check.flow)
        field("id", check.id)
        optionalString("measured_by", check.measuredBy)
        if let notMeasured = check.notMeasured { field("not_measured", notMeasured) }
        field("observed", check.observed?.rawValue)
        field("proxy", check.proxy)
        field("reason", check.reason)
        key("source")
        beginObject()
        field("address", check.source.address)
        field("group", check.source.group)
        optionalString("subnet", check.source.subnet)
        endObject()
        key("timings_ms")
        write(check.timingsMs)
        field("verdict", check.verdict.rawValue)
        endObject()
    }

    mutating func write(_ flow: CheckFlow) {
        beginObject()
        field("direction", flow.direction.rawValue)
        field("from", flow.from)
        field("index", flow.index)
        field("port", flow.port)
        field("protocol", flow.protocol.rawValue)
        field("services", flow.services)
        field("to", flow.to)
        endObject()
    }

    mutating func write(_ timings: Timings) {
        beginObject()
        field("connect", timings.connect)
        field("dns", timings.dns)
        field("request", timings.request)
        field("tls", timings.tls)
        field("total", timings.total)
        endObject()
    }

    mutating func write(_ evidence: Evidence) {
        beginObject()
        if let dns = evidence.dns {
            key("dns")
            write(dns)
        }
        if let http = evidence.http {
            key("http")
            write(http)
        }
        if let icmp = evidence.icmp {
            key("icmp")
            write(icmp)
        }
        optionalString("local_address", evidence.localAddress)
        optionalInt("local_port", evidence.localPort)
        if let path = evidence.path {
            key("path")
            write(path)
        }
        if let proxy = evidence.proxy {
            key("proxy")
            write(proxy)
        }
        field("resolved_addresses", evidence.resolvedAddresses)
        if let tls = evidence.tls {
            key("tls")
            write(tls)
        }
        if let wire = evidence.wire {
            key("wire")
            write(wire)
        }
        endObject()
    }

    mutating func write(_ http: HTTPEvidence) {
        beginObject()
        optionalDouble("clock_skew_s", http.clockSkewS)
        optionalString("date", http.date)
        optionalString("server", http.server)
        field("status", http.status)
        optionalString("via", http.via)
        endObject()
    }

    mutating func write(_ proxy: ProxyEvidence) {
        beginObject()
        optionalString("address", proxy.address)
        field("auth_offered", proxy.authOffered)
        field("credentials_sent", proxy.credentialsSent)
        optionalString("error", proxy.error)
        optionalString("server", proxy.server)
        optionalString("status", proxy.status)
        field("url", proxy.url)
        optionalString("via", proxy.via)
        endObject()
    }

    mutating func write(_ tls: TLSEvidence) {
        beginObject()
        optionalString("alpn", tls.alpn)
        key("chain")
        beginArray()
        for certificate in tls.chain {
            element()
            beginObject()
            field("issuer", certificate.issuer)
            field("not_after", certificate.notAfter)
            field("not_before", certificate.notBefore)
            field("sha256", certificate.sha256)
            field("subject", certificate.subject)
            endObject()
        }
        endArray()
        optionalString("cipher", tls.cipher)
        optionalString("version", tls.version)
        endObject()
    }

    mutating func write(_ wire: WireEvidence) {
        beginObject()
        field("answer", wire.answer.rawValue)
        optionalDouble("answer_after_ms", wire.answerAfterMs)
        optionalString("answer_from", wire.answerFrom)
        optionalInt("answer_ttl", wire.answerTtl)
        optionalDouble("client_hello_answered_after_ms", wire.clientHelloAnsweredAfterMs)
        field("client_hello_sent", wire.clientHelloSent)
        optionalString("icmp", wire.icmp)
        field("icmp_admin_prohibited", wire.icmpAdminProhibited)
        field("injected_reset", wire.injectedReset)
        field("packets", wire.packets)
        optionalInt("path_ttl", wire.pathTtl)
        field("reset_after_client_hello", wire.resetAfterClientHello)
        optionalInt("reset_ttl", wire.resetTtl)
        field("server_hello", wire.serverHello)
        field("syns_sent", wire.synsSent)
        field("tls_alert", wire.tlsAlert)
        endObject()
    }

    /// A member written only when there is a value, as the model's `encodeIfPresent` does.
    private mutating func optionalString(_ name: StaticString, _ value: String?) {
        if let value { field(name, value) }
    }

    /// A member written only when there is a value, as the model's `encodeIfPresent` does.
    private mutating func optionalInt(_ name: StaticString, _ value: Int?) {
        if let value { field(name, value) }
    }

    /// A member written only when there is a value, as the model's `encodeIfPresent` does.
    private mutating func optionalDouble(_ name: StaticString, _ value: Double?) {
        if let value { field(name, value) }
    }
}
