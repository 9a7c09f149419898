import Foundation
import NLSProbeCore
import Testing

@testable import NLSReporting

/// What JSONEncoder writes for `value` with the report's settings (snake_case keys, sorted, pretty
/// printed, slashes unescaped), ending in a newline as the report file does.
func foundationJSON<T: Encodable>(_ value: T) throws -> String {
    let encoder = JSONEncoder()
    encoder.keyEncodingStrategy = .convertToSnakeCase
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
}

/// The JSON writer (``JSONText``) repeats by hand the layout of the `Codable` report model. A field
/// added to the model but not to the writer must fail a test that names it: a report with every
/// optional set and every array filled is written both ways, and the key paths and their values
/// compared. The fixture is checked by reflection, so that a new field left nil in it fails too.
@Suite struct JSONKeyPathTests {
    @Test func theFixtureSetsEveryOptionalAndFillsEveryArray() {
        let gaps = ReflectedGaps.of(completeReport(), path: "report")
        #expect(gaps.isEmpty, "set these in completeReport(): \(gaps.joined(separator: "; "))")
    }

    @Test func theWriterWritesEveryKeyPathJSONEncoderWrites() throws {
        let report = completeReport()
        let theirs = try JSONKeyPaths.of(Data(foundationJSON(report).utf8))
        let ours = try JSONKeyPaths.of(JSONReport.encode(report))
        for path in theirs.keys.sorted() where ours[path] == nil {
            Issue.record("the JSON writer (JSONText+Report.swift) leaves out \(path), which the Codable model encodes")
        }
        for path in ours.keys.sorted() where theirs[path] == nil {
            Issue.record("the JSON writer writes \(path), which the Codable model does not encode")
        }
        for path in theirs.keys.sorted() {
            guard let mine = ours[path], let expected = theirs[path], mine != expected else { continue }
            Issue.record("\(path): the JSON writer writes \(mine), JSONEncoder \(expected)")
        }
        #expect(theirs["checks[0].evidence.tls.chain[0].sha256"] != nil, "the fixture reaches the deepest level")
    }

    /// The checks above can fail: a nil optional is named, and a key JSONEncoder leaves out for
    /// nil is missing from the key paths.
    @Test func theChecksNameWhatIsMissing() throws {
        var report = completeReport()
        report.checks[0].evidence.wire?.icmp = nil
        report.checks[0].evidence.tls?.chain = []
        let gaps = ReflectedGaps.of(report, path: "report")
        #expect(gaps.contains("report.checks[0].evidence.wire.icmp is nil"))
        #expect(gaps.contains("report.checks[0].evidence.tls.chain is empty"))
        let complete = try JSONKeyPaths.of(Data(foundationJSON(completeReport()).utf8))
        let partial = try JSONKeyPaths.of(Data(foundationJSON(report).utf8))
        #expect(complete["checks[0].evidence.wire.icmp"] == "\"port\"")
        #expect(partial["checks[0].evidence.wire.icmp"] == nil)
        #expect(partial["checks[0].evidence.tls.chain"] == "[]")
    }
}

/// Every leaf of a JSON document by its key path ("checks[0].evidence.wire.answer_ttl"), with its
/// value as JSON text; empty arrays and objects are leaves ("[]", "{}").
enum JSONKeyPaths {
    static func of(_ data: Data) throws -> [String: String] {
        var paths: [String: String] = [:]
        collect(try JSONDecoder().decode(JSONValue.self, from: data), path: "", into: &paths)
        return paths
    }

    private static func collect(_ value: JSONValue, path: String, into paths: inout [String: String]) {
        switch value {
        case .object(let members) where !members.isEmpty:
            for (key, member) in members { collect(member, path: path.isEmpty ? key : "\(path).\(key)", into: &paths) }
        case .array(let elements) where !elements.isEmpty:
            for (index, element) in elements.enumerated() { collect(element, path: "\(path)[\(index)]", into: &paths) }
        default:
            paths[path] = value.text
        }
    }
}

/// A JSON value as decoded, for comparing two documents key by key.
enum JSONValue: Decodable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    /// The value as short JSON-like text; numbers as Swift writes the Double.
    var text: String {
        switch self {
        case .null: "null"
        case .bool(let value): String(value)
        case .number(let value): String(value)
        case .string(let value): "\"\(value)\""
        case .array(let elements): elements.isEmpty ? "[]" : "[…]"
        case .object(let members): members.isEmpty ? "{}" : "{…}"
        }
    }
}

/// The nil optionals and empty collections anywhere in a value, found by reflection, each named by
/// its path ("report.checks[0].evidence.wire.icmp is nil").
enum ReflectedGaps {
    static func of(_ value: Any, path: String) -> [String] {
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .optional:
            guard let wrapped = mirror.children.first?.value else { return ["\(path) is nil"] }
            return of(wrapped, path: path)
        case .collection, .set, .dictionary:
            guard !mirror.children.isEmpty else { return ["\(path) is empty"] }
            return mirror.children.enumerated().flatMap { index, child in of(child.value, path: "\(path)[\(index)]") }
        case .struct, .class, .tuple:
            return mirror.children.flatMap { child in of(child.value, path: "\(path).\(child.label ?? "?")") }
        default:
            return []
        }
    }
}

/// A report with every optional of the model set and every array non-empty, at every level: one
/// flow and one check that went through a proxy, with TLS, HTTP, proxy and wire evidence.
func completeReport() -> Report {
    var flow = FlowInfo(
        Flow(
            index: 0, ports: [443], proto: .tls, direction: .egress, services: ["License acquisition"],
            from: "clients", to: "cls"))
    flow.note = "through the corporate proxy"
    let certificate = CertificateInfo(
        subject: "CN=api.cls.licensing.nvidia.com", issuer: "CN=Corporate Inspection CA",
        notBefore: "2026-11-01T00:00:00Z", notAfter: "2027-11-01T00:00:00Z",
        sha256: "b0a7a34cea8365b1aaf9b4dcc8102c90adb1bc9ffe09dcaa2417ca72d704d15a")
    var evidence = Evidence(
        resolvedAddresses: ["198.18.2.1"], localAddress: "198.18.10.15", localPort: 40112,
        tls: TLSEvidence(version: "TLSv1.3", cipher: "TLS_AES_256_GCM_SHA384", alpn: "http/1.1", chain: [certificate]),
        http: HTTPEvidence(
            status: 200, server: "nginx", via: "1.1 proxy", date: "Sun, 29 Nov 2026 10:00:00 GMT", clockSkewS: 1.5),
        proxy: ProxyEvidence(
            url: "http://proxy.example.test:3128", address: "198.18.0.3:3128",
            status: "HTTP/1.1 200 Connection established", server: "squid/5.7", via: "1.1 proxy",
            error: "ERR_NONE 0", authOffered: ["Basic"], credentialsSent: true))
    evidence.wire = WireEvidence(
        synsSent: 1, answer: .synAck, answerFrom: "198.18.0.3", answerAfterMs: 0.5, answerTtl: 63, icmp: "port",
        icmpAdminProhibited: false, injectedReset: false, resetTtl: 61, pathTtl: 63, clientHelloSent: true,
        serverHello: true, tlsAlert: false, resetAfterClientHello: false, clientHelloAnsweredAfterMs: 4.5, packets: 12)
    evidence.icmp = ICMPEvidence(
        version: 4, type: 3, code: 13, from: "198.18.11.1",
        text: "destination unreachable: administratively prohibited",
        adminProhibited: true, ttl: 63)
    evidence.path = PathEvidence(
        hops: [
            PathHop(ttl: 1, answer: .timeExceeded, from: "198.18.10.1", icmp: "time exceeded (ICMP 11/0)", rttMs: 0.4),
            PathHop(
                ttl: 2, answer: .unreachable, from: "198.18.11.1",
                icmp: "destination unreachable: administratively prohibited (ICMP 3/13)", rttMs: 0.7),
        ],
        stop: .dropped, stopHop: 1, stopAddress: "198.18.10.1", sourcePort: 40112,
        resetOrigin: "the reset arrived with TTL 63 = 64 − 1: sent 2 hops away",
        summary: "dropped after hop 1 (198.18.10.1); hops 1 198.18.10.1, 2 *", probes: 2, durationMs: 1002.5)
    evidence.dns = DNSEvidence(
        resolvConf: "/etc/resolv.conf", servers: ["198.18.140.53"], search: ["lab.test"], hostsFile: true,
        queries: [
            DNSQuery(
                name: "api.cls.licensing.nvidia.com", family: "A", server: "198.18.140.53", answer: .error,
                addresses: ["198.18.2.1"], rcode: 4, ms: 1.5, error: "network is unreachable")
        ],
        summary: "resolver 198.18.140.53 answered NXDOMAIN for api.cls.licensing.nvidia.com (A and AAAA)")
    var check = CheckRecord(
        id: "clients 198.18.10.15 -> cls api.cls.licensing.nvidia.com tls/443 via http://proxy.example.test:3128",
        flow: CheckFlow(
            index: 0, port: 443, protocol: .tls, direction: .egress, services: ["License acquisition"],
            from: "clients", to: "cls"),
        source: SourceRef(group: "clients", address: "198.18.10.15", subnet: "198.18.10.0/24"),
        destination: DestinationRef(group: "cls", host: "api.cls.licensing.nvidia.com", address: "198.18.2.1"),
        proxy: "http://proxy.example.test:3128", expect: .allow, observed: .open, verdict: .pass,
        reason: "TLS handshake completed (TLSv1.3) through the proxy in 12 ms",
        attempts: [AttemptRecord(observed: .open, reason: "TLS handshake completed", elapsedMs: 14.2)],
        timingsMs: Timings(dns: 1.5, connect: 2.1, tls: 9.9, request: 3.25, total: 16.75), evidence: evidence)
    check.measuredBy = "probe-01"
    check.notMeasured = false
    var run = RunInfo(
        started: "2026-11-29T10:00:00Z", finished: "2026-11-29T10:00:06Z", host: "probe-01",
        localSources: ["clients"], localAddresses: ["198.18.10.15"], proxy: "http://proxy.example.test:3128",
        interrupted: false)
    run.capture = "/var/lib/nlsprobe/cls.pcap"
    run.warnings = ["the client configuration token expires in 3 days"]
    run.clockSkewLimitS = 60
    let fixed = fixedReport()
    var report = Report(tool: fixed.tool, profile: fixed.profile, run: run, flows: [flow], checks: [check])
    report.probeHosts = [
        ProbeHost(
            name: "probe-01", status: .reported, address: "198.18.10.15", hostname: "probe-01.example.test",
            localAddresses: ["198.18.10.15"], sources: ["clients"], toolVersion: "0.1.0",
            profileDigest: "sha256:0000", started: "2026-11-29T10:00:00Z", finished: "2026-11-29T10:00:06Z",
            reports: ["probe-01/cls.json"], problem: "none")
    ]
    return report
}
