/// What crossed the wire for a check (`--capture`), attributed by its 5-tuple.
public struct WireEvidence: Codable, Sendable, Equatable {
    /// SYNs sent, retransmissions included.
    public var synsSent: Int
    /// What answered the SYN.
    public var answer: WireAnswer
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
        synsSent: Int = 0, answer: WireAnswer = .silence, answerFrom: String? = nil, answerAfterMs: Double? = nil,
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
        case .synAck:
            parts.append("\(syns), SYN-ACK from \(answerFrom ?? "?")\(answerTtl.map { " (TTL \($0))" } ?? "")")
        case .reset:
            parts.append("\(syns), answered by RST from \(answerFrom ?? "?")\(answerTtl.map { " (TTL \($0))" } ?? "")")
        case .icmp:
            parts.append("\(syns), answered by ICMP \(icmp ?? "error") from \(answerFrom ?? "?")")
        case .silence:
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
