import Foundation

/// The JSON report, source of truth for every other format.
public struct Report: Codable, Sendable, Equatable {
    /// The schema identifier this model writes.
    public static let schemaID = "nlsprobe/report/v1"

    /// Always `nlsprobe/report/v1`.
    public var schema: String = Report.schemaID
    /// The tool that wrote the report.
    public var tool: ToolInfo
    /// The profile that was run.
    public var profile: ProfileInfo
    /// When, where and how the run happened.
    public var run: RunInfo
    /// Counts and the run's verdict.
    public var summary: Summary
    /// The flows of the profile, in order (one row each in the Markdown flow table).
    public var flows: [FlowInfo]
    /// Every check, in plan order.
    public var checks: [CheckRecord]

    /// Creates a report; the summary is computed from the checks.
    public init(tool: ToolInfo, profile: ProfileInfo, run: RunInfo, flows: [FlowInfo], checks: [CheckRecord]) {
        self.tool = tool
        self.profile = profile
        self.run = run
        self.flows = flows
        self.checks = checks
        self.summary = Summary(checks.map(\.verdict))
    }
}

/// The tool's name and version.
public struct ToolInfo: Codable, Sendable, Equatable {
    /// "nlsprobe".
    public var name: String
    /// Semantic version.
    public var version: String

    /// Creates tool information.
    public init(name: String = "nlsprobe", version: String) {
        self.name = name
        self.version = version
    }
}

/// Which profile ran.
public struct ProfileInfo: Codable, Sendable, Equatable {
    /// Its identifier.
    public var name: String
    /// Its title.
    public var title: String
    /// Where its matrix comes from.
    public var reference: String?
    /// "sha256:…" of its file.
    public var digest: String

    /// Creates profile information.
    public init(name: String, title: String, reference: String?, digest: String) {
        self.name = name
        self.title = title
        self.reference = reference
        self.digest = digest
    }
}

/// When, where and how a run happened.
public struct RunInfo: Codable, Sendable, Equatable {
    /// Start time, UTC, ISO 8601.
    public var started: String
    /// End time, UTC, ISO 8601.
    public var finished: String
    /// This host's name.
    public var host: String
    /// The source groups this host ran.
    public var localSources: [String]
    /// The local addresses checks were sent from.
    public var localAddresses: [String]
    /// The proxy setting of the run ("direct", "environment", or the proxy URL without credentials).
    public var proxy: String
    /// True when the run was interrupted before every check finished.
    public var interrupted: Bool
    /// The packet capture file of the run (`--capture`), absent without one.
    public var capture: String?
    /// Problems found besides the network (an expired token), absent when none.
    public var warnings: [String]?
    /// Server clocks further off than this many seconds are flagged (licensing fails on skew).
    public var clockSkewLimitS: Double?

    /// Creates run information.
    public init(
        started: String, finished: String, host: String, localSources: [String], localAddresses: [String],
        proxy: String, interrupted: Bool = false
    ) {
        self.started = started
        self.finished = finished
        self.host = host
        self.localSources = localSources
        self.localAddresses = localAddresses
        self.proxy = proxy
        self.interrupted = interrupted
    }
}

/// Counts per verdict and the run's verdict.
public struct Summary: Codable, Sendable, Equatable {
    /// All checks.
    public var total: Int
    /// Passed checks.
    public var pass: Int
    /// Failed checks.
    public var fail: Int
    /// Inconclusive checks.
    public var inconclusive: Int
    /// Skipped checks.
    public var skipped: Int
    /// The run's verdict.
    public var verdict: Verdict

    /// Counts the verdicts.
    public init(_ verdicts: [Verdict]) {
        total = verdicts.count
        pass = verdicts.filter { $0 == .pass }.count
        fail = verdicts.filter { $0 == .fail }.count
        inconclusive = verdicts.filter { $0 == .inconclusive }.count
        skipped = verdicts.filter { $0 == .skipped }.count
        verdict = Verdict.overall(verdicts)
    }
}

/// A flow as reports show it.
public struct FlowInfo: Codable, Sendable, Equatable {
    /// Position in the profile, from 0.
    public var index: Int
    /// The ports as written ("443", "8081, 8084", "8081-8085").
    public var ports: String
    /// The protocol.
    public var `protocol`: FlowProtocol
    /// Egress or ingress.
    public var direction: Direction
    /// The services using it.
    public var services: [String]
    /// The initiating group.
    public var from: String
    /// The destination group.
    public var to: String
    /// Allow or block.
    public var expect: Expectation
    /// A free-text note.
    public var note: String?

    /// Builds the report's view of a profile flow.
    public init(_ flow: Flow) {
        index = flow.index
        ports = flow.portLabel
        self.protocol = flow.proto
        direction = flow.direction
        services = flow.services
        from = flow.from
        to = flow.to
        expect = flow.expect
        note = flow.note
    }
}

/// The flow a check belongs to, with the check's port.
public struct CheckFlow: Codable, Sendable, Equatable {
    /// Index of the flow in `flows`.
    public var index: Int
    /// The port checked.
    public var port: Int
    /// The protocol.
    public var `protocol`: FlowProtocol
    /// Egress or ingress.
    public var direction: Direction
    /// The services using it.
    public var services: [String]
    /// The initiating group.
    public var from: String
    /// The destination group.
    public var to: String

    /// Creates a check's flow reference.
    public init(
        index: Int, port: Int, protocol: FlowProtocol, direction: Direction, services: [String], from: String,
        to: String
    ) {
        self.index = index
        self.port = port
        self.protocol = `protocol`
        self.direction = direction
        self.services = services
        self.from = from
        self.to = to
    }
}

/// Where a check was sent from.
public struct SourceRef: Codable, Sendable, Equatable {
    /// The source group.
    public var group: String
    /// The bound address, null when nothing was bound.
    public var address: String?
    /// The subnet of the source group that holds `address` ("10.10.20.0/24"): part of the check's
    /// cell (see ``CellIdentity``). Absent when unknown: groups without subnets, unbound checks,
    /// reports of earlier versions.
    public var subnet: String?

    /// Creates a source reference.
    public init(group: String, address: String?, subnet: String? = nil) {
        self.group = group
        self.address = address
        self.subnet = subnet
    }

    /// Encodes every field, writing null for absent optionals (other tools rely on the keys being
    /// there); `subnet`, added later, is written only when known.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(group, forKey: .group)
        try container.encode(address, forKey: .address)
        try container.encodeIfPresent(subnet, forKey: .subnet)
    }
}

/// Where a check went.
public struct DestinationRef: Codable, Sendable, Equatable {
    /// The destination group.
    public var group: String
    /// The host as named in the profile.
    public var host: String
    /// The address connected to; null where a proxy resolved the name or the name did not resolve.
    public var address: String?

    /// Creates a destination reference.
    public init(group: String, host: String, address: String?) {
        self.group = group
        self.host = host
        self.address = address
    }

    /// Encodes every field, writing null for absent optionals (other tools rely on the keys being there).
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(group, forKey: .group)
        try container.encode(host, forKey: .host)
        try container.encode(address, forKey: .address)
    }
}

/// One attempt of a check.
public struct AttemptRecord: Codable, Sendable, Equatable {
    /// What the attempt observed.
    public var observed: Observed
    /// Why, in plain English.
    public var reason: String
    /// Wall time of the attempt.
    public var elapsedMs: Double

    /// Creates an attempt record.
    public init(observed: Observed, reason: String, elapsedMs: Double) {
        self.observed = observed
        self.reason = reason
        self.elapsedMs = elapsedMs
    }
}

/// Phase timings of the decisive attempt, in milliseconds; null where a phase did not happen.
public struct Timings: Codable, Sendable, Equatable {
    /// Name resolution (done once per host, before the checks).
    public var dns: Double?
    /// TCP handshake.
    public var connect: Double?
    /// TLS handshake, after TCP.
    public var tls: Double?
    /// From the request to the first response byte.
    public var request: Double?
    /// The whole check: name resolution (`dns`, shared by the checks of a host and counted in
    /// each) plus every attempt; never less than `dns`.
    public var total: Double

    /// Creates timings.
    public init(dns: Double? = nil, connect: Double? = nil, tls: Double? = nil, request: Double? = nil, total: Double) {
        self.dns = dns
        self.connect = connect
        self.tls = tls
        self.request = request
        self.total = total
    }

    /// Encodes every field, writing null for absent optionals (other tools rely on the keys being there).
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(dns, forKey: .dns)
        try container.encode(connect, forKey: .connect)
        try container.encode(tls, forKey: .tls)
        try container.encode(request, forKey: .request)
        try container.encode(total, forKey: .total)
    }
}

/// One certificate of the chain as the server presented it.
public struct CertificateInfo: Codable, Sendable, Equatable {
    /// Subject distinguished name.
    public var subject: String
    /// Issuer distinguished name.
    public var issuer: String
    /// Start of validity.
    public var notBefore: String
    /// End of validity.
    public var notAfter: String
    /// SHA-256 of the DER encoding, lowercase hex.
    public var sha256: String

    /// Creates certificate information.
    public init(subject: String, issuer: String, notBefore: String, notAfter: String, sha256: String) {
        self.subject = subject
        self.issuer = issuer
        self.notBefore = notBefore
        self.notAfter = notAfter
        self.sha256 = sha256
    }
}

/// What the TLS handshake showed.
public struct TLSEvidence: Codable, Sendable, Equatable {
    /// Protocol version ("TLSv1.3").
    public var version: String?
    /// Cipher suite (IANA name).
    public var cipher: String?
    /// The protocol the server selected by ALPN.
    public var alpn: String?
    /// The chain as presented, leaf first.
    public var chain: [CertificateInfo]

    /// Creates TLS evidence.
    public init(version: String? = nil, cipher: String? = nil, alpn: String? = nil, chain: [CertificateInfo] = []) {
        self.version = version
        self.cipher = cipher
        self.alpn = alpn
        self.chain = chain
    }
}

/// What an HTTP answer showed.
public struct HTTPEvidence: Codable, Sendable, Equatable {
    /// Status code.
    public var status: Int
    /// `Server` header.
    public var server: String?
    /// `Via` header.
    public var via: String?
    /// `Date` header.
    public var date: String?
    /// The server's clock minus this host's, in seconds, from the `Date` header (positive: the server is ahead).
    public var clockSkewS: Double?

    /// Creates HTTP evidence.
    public init(status: Int, server: String? = nil, via: String? = nil, date: String? = nil, clockSkewS: Double? = nil)
    {
        self.status = status
        self.server = server
        self.via = via
        self.date = date
        self.clockSkewS = clockSkewS
    }
}

/// What the proxy said, for checks sent through one.
public struct ProxyEvidence: Codable, Sendable, Equatable {
    /// The proxy as configured (never with credentials).
    public var url: String
    /// The address and port the proxy was reached at.
    public var address: String?
    /// The status line of the proxy's answer to CONNECT (or to the request, for plain HTTP through it).
    public var status: String?
    /// The proxy's `Server` header.
    public var server: String?
    /// The proxy's `Via` header.
    public var via: String?
    /// The proxy's own error code (squid's `X-Squid-Error`).
    public var error: String?
    /// The authentication schemes the proxy offered.
    public var authOffered: [String]
    /// Whether credentials were sent (never the credentials themselves).
    public var credentialsSent: Bool

    /// Creates proxy evidence.
    public init(
        url: String, address: String? = nil, status: String? = nil, server: String? = nil, via: String? = nil,
        error: String? = nil, authOffered: [String] = [], credentialsSent: Bool = false
    ) {
        self.url = url
        self.address = address
        self.status = status
        self.server = server
        self.via = via
        self.error = error
        self.authOffered = authOffered
        self.credentialsSent = credentialsSent
    }
}

/// What crossed the wire for a check (`--capture`), attributed by its 5-tuple.
public struct WireEvidence: Codable, Sendable, Equatable {
    /// SYNs sent, retransmissions included.
    public var synsSent: Int
    /// What answered the SYN: "syn-ack", "rst", "icmp" or "none".
    public var answer: String
    /// The address the answer came from.
    public var answerFrom: String?
    /// Milliseconds from the first SYN to the answer.
    public var answerAfterMs: Double?
    /// TTL (hop limit) of the answer as received.
    public var answerTtl: Int?
    /// The ICMP error, in words, when one came.
    public var icmp: String?
    /// True for ICMP "administratively prohibited": a firewall's reject.
    public var icmpAdminProhibited: Bool
    /// A reset whose TTL differs from the path's (SYN-ACK or ICMP) TTL: injected by something in the path.
    public var injectedReset: Bool
    /// The TTL of a reset, when one came.
    public var resetTtl: Int?
    /// The path's TTL the reset was compared with.
    public var pathTtl: Int?
    /// Whether the TLS ClientHello left.
    public var clientHelloSent: Bool
    /// Whether a ServerHello came back.
    public var serverHello: Bool
    /// Whether a TLS alert came back.
    public var tlsAlert: Bool
    /// Whether a reset came back after the ClientHello.
    public var resetAfterClientHello: Bool
    /// Milliseconds from the ClientHello to what answered it (ServerHello, alert or reset).
    public var clientHelloAnsweredAfterMs: Double?
    /// Packets attributed to the check.
    public var packets: Int

    /// Creates wire evidence.
    public init(
        synsSent: Int = 0, answer: String = "none", answerFrom: String? = nil, answerAfterMs: Double? = nil,
        answerTtl: Int? = nil, icmp: String? = nil, icmpAdminProhibited: Bool = false, injectedReset: Bool = false,
        resetTtl: Int? = nil, pathTtl: Int? = nil, clientHelloSent: Bool = false, serverHello: Bool = false,
        tlsAlert: Bool = false, resetAfterClientHello: Bool = false, clientHelloAnsweredAfterMs: Double? = nil,
        packets: Int = 0
    ) {
        self.synsSent = synsSent
        self.answer = answer
        self.answerFrom = answerFrom
        self.answerAfterMs = answerAfterMs
        self.answerTtl = answerTtl
        self.icmp = icmp
        self.icmpAdminProhibited = icmpAdminProhibited
        self.injectedReset = injectedReset
        self.resetTtl = resetTtl
        self.pathTtl = pathTtl
        self.clientHelloSent = clientHelloSent
        self.serverHello = serverHello
        self.tlsAlert = tlsAlert
        self.resetAfterClientHello = resetAfterClientHello
        self.clientHelloAnsweredAfterMs = clientHelloAnsweredAfterMs
        self.packets = packets
    }

    /// One line for reports: "2 SYNs sent, no answer", "SYN answered by RST from 198.18.20.1 (TTL 64) …".
    public var summary: String {
        var parts: [String] = []
        let syns = "\(synsSent) SYN\(synsSent == 1 ? "" : "s") sent"
        switch answer {
        case "syn-ack":
            parts.append("\(syns), SYN-ACK from \(answerFrom ?? "?")\(answerTtl.map { " (TTL \($0))" } ?? "")")
        case "rst":
            parts.append("\(syns), answered by RST from \(answerFrom ?? "?")\(answerTtl.map { " (TTL \($0))" } ?? "")")
        case "icmp":
            parts.append("\(syns), answered by ICMP \(icmp ?? "error") from \(answerFrom ?? "?")")
        default:
            parts.append("\(syns), no answer")
        }
        if clientHelloSent {
            if serverHello {
                parts.append("ClientHello sent, ServerHello received")
            } else if tlsAlert {
                parts.append("ClientHello sent, TLS alert received")
            } else if resetAfterClientHello {
                parts.append("ClientHello sent, answered by a reset")
            } else {
                parts.append("ClientHello sent, no answer")
            }
        }
        if injectedReset, let resetTtl, let pathTtl {
            parts.append("the reset's TTL \(resetTtl) differs from the path's \(pathTtl): injected by a middlebox")
        }
        return parts.joined(separator: "; ")
    }
}

/// Everything a check gathered besides its verdict.
public struct Evidence: Codable, Sendable, Equatable {
    /// Every address the destination name resolved to.
    public var resolvedAddresses: [String]
    /// The local address of the connection.
    public var localAddress: String?
    /// The local port of the connection.
    public var localPort: Int?
    /// The TLS handshake, when one completed.
    public var tls: TLSEvidence?
    /// The HTTP answer, when one came.
    public var http: HTTPEvidence?
    /// What the proxy said, for checks sent through one.
    public var proxy: ProxyEvidence?
    /// What crossed the wire (with `--capture`).
    public var wire: WireEvidence?

    /// Creates evidence.
    public init(
        resolvedAddresses: [String] = [], localAddress: String? = nil, localPort: Int? = nil, tls: TLSEvidence? = nil,
        http: HTTPEvidence? = nil, proxy: ProxyEvidence? = nil
    ) {
        self.resolvedAddresses = resolvedAddresses
        self.localAddress = localAddress
        self.localPort = localPort
        self.tls = tls
        self.http = http
        self.proxy = proxy
    }
}

/// One check: one destination address of one cell of the matrix (``CellIdentity``).
public struct CheckRecord: Codable, Sendable, Equatable {
    /// The check's own identity: source group and address, destination host and address, protocol
    /// and port. `diff` and `merge` compare cells (``cell``), which leave both addresses out.
    public var id: String
    /// The flow and port.
    public var flow: CheckFlow
    /// Where it was sent from.
    public var source: SourceRef
    /// Where it went.
    public var destination: DestinationRef
    /// The proxy the check went through ("environment" or a URL without credentials); null when direct.
    public var proxy: String?
    /// What the profile expects.
    public var expect: Expectation
    /// What was observed; null for skipped checks.
    public var observed: Observed?
    /// Pass, fail, inconclusive or skipped.
    public var verdict: Verdict
    /// One line of plain English.
    public var reason: String
    /// Every attempt, in order.
    public var attempts: [AttemptRecord]
    /// Phase timings.
    public var timingsMs: Timings
    /// What the check gathered.
    public var evidence: Evidence
    /// The host that measured the check, in reports merged from several hosts.
    public var measuredBy: String?

    /// Creates a check record.
    public init(
        id: String, flow: CheckFlow, source: SourceRef, destination: DestinationRef, proxy: String? = nil,
        expect: Expectation, observed: Observed?, verdict: Verdict, reason: String, attempts: [AttemptRecord],
        timingsMs: Timings, evidence: Evidence
    ) {
        self.id = id
        self.flow = flow
        self.source = source
        self.destination = destination
        self.proxy = proxy
        self.expect = expect
        self.observed = observed
        self.verdict = verdict
        self.reason = reason
        self.attempts = attempts
        self.timingsMs = timingsMs
        self.evidence = evidence
    }

    /// Encodes every field, writing null for absent optionals (other tools rely on the keys being there).
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(flow, forKey: .flow)
        try container.encode(source, forKey: .source)
        try container.encode(destination, forKey: .destination)
        try container.encode(proxy, forKey: .proxy)
        try container.encode(expect, forKey: .expect)
        try container.encode(observed, forKey: .observed)
        try container.encode(verdict, forKey: .verdict)
        try container.encode(reason, forKey: .reason)
        try container.encode(attempts, forKey: .attempts)
        try container.encode(timingsMs, forKey: .timingsMs)
        try container.encode(evidence, forKey: .evidence)
        try container.encodeIfPresent(measuredBy, forKey: .measuredBy)
    }
}
