import NLSProbeCore

/// JSON text in the layout Foundation's `JSONEncoder` gives with `.prettyPrinted`, `.sortedKeys` and
/// `.withoutEscapingSlashes`: two-space indents, `"key" : value`, empty containers as `[` blank line `]`,
/// whole doubles without `.0`.
///
/// The report is written with it instead of `JSONEncoder`, which spent most of a 2,000-check run's
/// time and a large share of its memory building a tree of boxed values. Writers call `key` in sorted
/// order; a test holds the bytes to `JSONEncoder`'s for every field of the report model.
struct JSONText {
    /// The text so far, UTF-8.
    private(set) var bytes: [UInt8] = []
    /// One entry per open container: true until its first member is written.
    private var empty: [Bool] = []

    init(capacity: Int = 0) {
        bytes.reserveCapacity(capacity)
    }

    mutating func beginObject() {
        bytes.append(UInt8(ascii: "{"))
        empty.append(true)
    }

    mutating func endObject() { close(UInt8(ascii: "}")) }

    mutating func beginArray() {
        bytes.append(UInt8(ascii: "["))
        empty.append(true)
    }

    mutating func endArray() { close(UInt8(ascii: "]")) }

    /// Starts a member of the open object; its value follows.
    mutating func key(_ name: StaticString) {
        newMember()
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: " "), UInt8(ascii: ":"), UInt8(ascii: " ")])
    }

    /// Starts an element of the open array; its value follows.
    mutating func element() { newMember() }

    mutating func null() { bytes.append(contentsOf: "null".utf8) }

    mutating func bool(_ value: Bool) { bytes.append(contentsOf: (value ? "true" : "false").utf8) }

    mutating func int(_ value: Int) { bytes.append(contentsOf: String(value).utf8) }

    /// Shortest round-trip digits, as `JSONEncoder` writes them ("20" for 20.0, "1e-07").
    mutating func double(_ value: Double) {
        // JSON has no NaN or infinity: such a value (never measured, only computed) is written as
        // the nearest finite number so that the report stays valid JSON.
        let finite = value.isNaN ? 0 : max(-Double.greatestFiniteMagnitude, min(Double.greatestFiniteMagnitude, value))
        var text = finite.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        bytes.append(contentsOf: text.utf8)
    }

    mutating func string(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { utf8 in
            var start = 0
            for (index, byte) in utf8.enumerated() where byte < 0x20 || byte == 0x22 || byte == 0x5C {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index]))
                appendEscape(byte)
                start = index + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func string(_ value: String?) {
        if let value { string(value) } else { null() }
    }

    mutating func double(_ value: Double?) {
        if let value { double(value) } else { null() }
    }

    mutating func strings(_ values: [String]) {
        beginArray()
        for value in values {
            element()
            string(value)
        }
        endArray()
    }

    /// Hands the text so far to `emit` and starts afresh, keeping the buffer.
    mutating func drain(to emit: (UnsafeRawBufferPointer) -> Void) {
        bytes.withUnsafeBytes { emit($0) }
        bytes.removeAll(keepingCapacity: true)
    }

    /// A member of the open object: its key, then its value (nil written as null).
    mutating func field(_ name: StaticString, _ value: String?) {
        key(name)
        string(value)
    }

    mutating func field(_ name: StaticString, _ value: Double?) {
        key(name)
        double(value)
    }

    mutating func field(_ name: StaticString, _ value: Int) {
        key(name)
        int(value)
    }

    mutating func field(_ name: StaticString, _ value: Bool) {
        key(name)
        bool(value)
    }

    mutating func field(_ name: StaticString, _ values: [String]) {
        key(name)
        strings(values)
    }

    /// Appends raw text: a newline at the end of a document.
    mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    private mutating func appendEscape(_ byte: UInt8) {
        bytes.append(UInt8(ascii: "\\"))
        switch byte {
        case 0x22: bytes.append(UInt8(ascii: "\""))
        case 0x5C: bytes.append(UInt8(ascii: "\\"))
        case 0x08: bytes.append(UInt8(ascii: "b"))
        case 0x0C: bytes.append(UInt8(ascii: "f"))
        case 0x0A: bytes.append(UInt8(ascii: "n"))
        case 0x0D: bytes.append(UInt8(ascii: "r"))
        case 0x09: bytes.append(UInt8(ascii: "t"))
        default:
            let hex: [UInt8] = Array("0123456789abcdef".utf8)
            bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
            bytes.append(hex[Int(byte >> 4)])
            bytes.append(hex[Int(byte & 0x0F)])
        }
    }

    private mutating func newMember() {
        if empty[empty.count - 1] {
            empty[empty.count - 1] = false
            bytes.append(UInt8(ascii: "\n"))
        } else {
            bytes.append(contentsOf: [UInt8(ascii: ","), UInt8(ascii: "\n")])
        }
        indent(empty.count)
    }

    private mutating func close(_ bracket: UInt8) {
        let wasEmpty = empty.removeLast()
        bytes.append(UInt8(ascii: "\n"))
        if wasEmpty { bytes.append(UInt8(ascii: "\n")) }
        indent(empty.count)
        bytes.append(bracket)
    }

    private mutating func indent(_ level: Int) {
        bytes.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * level))
    }
}

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
        if let http = evidence.http {
            key("http")
            write(http)
        }
        optionalString("local_address", evidence.localAddress)
        optionalInt("local_port", evidence.localPort)
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
        field("answer", wire.answer)
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

    private mutating func optionalString(_ name: StaticString, _ value: String?) {
        guard let value else { return }
        key(name)
        string(value)
    }

    private mutating func optionalInt(_ name: StaticString, _ value: Int?) {
        guard let value else { return }
        key(name)
        int(value)
    }

    private mutating func optionalDouble(_ name: StaticString, _ value: Double?) {
        guard let value else { return }
        key(name)
        double(value)
    }
}
