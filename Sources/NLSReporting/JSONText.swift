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
        var text = value.description
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
        key("profile")
        write(report.profile)
        key("run")
        write(report.run)
        key("schema")
        string(report.schema)
        key("summary")
        write(report.summary)
        key("tool")
        beginObject()
        key("name")
        string(report.tool.name)
        key("version")
        string(report.tool.version)
        endObject()
        endObject()
    }

    mutating func write(_ profile: ProfileInfo) {
        beginObject()
        key("digest")
        string(profile.digest)
        key("name")
        string(profile.name)
        optionalString("reference", profile.reference)
        key("title")
        string(profile.title)
        endObject()
    }

    mutating func write(_ run: RunInfo) {
        beginObject()
        optionalString("capture", run.capture)
        optionalDouble("clock_skew_limit_s", run.clockSkewLimitS)
        key("finished")
        string(run.finished)
        key("host")
        string(run.host)
        key("interrupted")
        bool(run.interrupted)
        key("local_addresses")
        strings(run.localAddresses)
        key("local_sources")
        strings(run.localSources)
        key("proxy")
        string(run.proxy)
        key("started")
        string(run.started)
        if let warnings = run.warnings {
            key("warnings")
            strings(warnings)
        }
        endObject()
    }

    mutating func write(_ summary: Summary) {
        beginObject()
        key("fail")
        int(summary.fail)
        key("inconclusive")
        int(summary.inconclusive)
        key("pass")
        int(summary.pass)
        key("skipped")
        int(summary.skipped)
        key("total")
        int(summary.total)
        key("verdict")
        string(summary.verdict.rawValue)
        endObject()
    }

    mutating func write(_ flow: FlowInfo) {
        beginObject()
        key("direction")
        string(flow.direction.rawValue)
        key("expect")
        string(flow.expect.rawValue)
        key("from")
        string(flow.from)
        key("index")
        int(flow.index)
        optionalString("note", flow.note)
        key("ports")
        string(flow.ports)
        key("protocol")
        string(flow.protocol.rawValue)
        key("services")
        strings(flow.services)
        key("to")
        string(flow.to)
        endObject()
    }

    mutating func write(_ check: CheckRecord) {
        beginObject()
        key("attempts")
        beginArray()
        for attempt in check.attempts {
            element()
            beginObject()
            key("elapsed_ms")
            double(attempt.elapsedMs)
            key("observed")
            string(attempt.observed.rawValue)
            key("reason")
            string(attempt.reason)
            endObject()
        }
        endArray()
        key("destination")
        beginObject()
        key("address")
        string(check.destination.address)
        key("group")
        string(check.destination.group)
        key("host")
        string(check.destination.host)
        endObject()
        key("evidence")
        write(check.evidence)
        key("expect")
        string(check.expect.rawValue)
        key("flow")
        write(check.flow)
        key("id")
        string(check.id)
        optionalString("measured_by", check.measuredBy)
        key("observed")
        string(check.observed?.rawValue)
        key("proxy")
        string(check.proxy)
        key("reason")
        string(check.reason)
        key("source")
        beginObject()
        key("address")
        string(check.source.address)
        key("group")
        string(check.source.group)
        endObject()
        key("timings_ms")
        write(check.timingsMs)
        key("verdict")
        string(check.verdict.rawValue)
        endObject()
    }

    mutating func write(_ flow: CheckFlow) {
        beginObject()
        key("direction")
        string(flow.direction.rawValue)
        key("from")
        string(flow.from)
        key("index")
        int(flow.index)
        key("port")
        int(flow.port)
        key("protocol")
        string(flow.protocol.rawValue)
        key("services")
        strings(flow.services)
        key("to")
        string(flow.to)
        endObject()
    }

    mutating func write(_ timings: Timings) {
        beginObject()
        key("connect")
        double(timings.connect)
        key("dns")
        double(timings.dns)
        key("request")
        double(timings.request)
        key("tls")
        double(timings.tls)
        key("total")
        double(timings.total)
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
        key("resolved_addresses")
        strings(evidence.resolvedAddresses)
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
        key("status")
        int(http.status)
        optionalString("via", http.via)
        endObject()
    }

    mutating func write(_ proxy: ProxyEvidence) {
        beginObject()
        optionalString("address", proxy.address)
        key("auth_offered")
        strings(proxy.authOffered)
        key("credentials_sent")
        bool(proxy.credentialsSent)
        optionalString("error", proxy.error)
        optionalString("server", proxy.server)
        optionalString("status", proxy.status)
        key("url")
        string(proxy.url)
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
            key("issuer")
            string(certificate.issuer)
            key("not_after")
            string(certificate.notAfter)
            key("not_before")
            string(certificate.notBefore)
            key("sha256")
            string(certificate.sha256)
            key("subject")
            string(certificate.subject)
            endObject()
        }
        endArray()
        optionalString("cipher", tls.cipher)
        optionalString("version", tls.version)
        endObject()
    }

    mutating func write(_ wire: WireEvidence) {
        beginObject()
        key("answer")
        string(wire.answer)
        optionalDouble("answer_after_ms", wire.answerAfterMs)
        optionalString("answer_from", wire.answerFrom)
        optionalInt("answer_ttl", wire.answerTtl)
        optionalDouble("client_hello_answered_after_ms", wire.clientHelloAnsweredAfterMs)
        key("client_hello_sent")
        bool(wire.clientHelloSent)
        optionalString("icmp", wire.icmp)
        key("icmp_admin_prohibited")
        bool(wire.icmpAdminProhibited)
        key("injected_reset")
        bool(wire.injectedReset)
        key("packets")
        int(wire.packets)
        optionalInt("path_ttl", wire.pathTtl)
        key("reset_after_client_hello")
        bool(wire.resetAfterClientHello)
        optionalInt("reset_ttl", wire.resetTtl)
        key("server_hello")
        bool(wire.serverHello)
        key("syns_sent")
        int(wire.synsSent)
        key("tls_alert")
        bool(wire.tlsAlert)
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
