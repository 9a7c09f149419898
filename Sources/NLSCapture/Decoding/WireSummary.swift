import NLSProbeCore

/// What crossed the wire for one check, decoded from its flow's packets into evidence: SYNs sent,
/// what answered them and when, TLS records and resets after the ClientHello, and whether a reset's
/// TTL differs from the path's. What that evidence makes of a result is judged elsewhere (the
/// engine's classification).
enum WireSummary {
    /// Builds wire evidence from a flow's packets (pure: unit-tested on crafted packets).
    /// `knownPathTTL` is the TTL of the SYN-ACKs seen from the remote on any flow, if one was.
    static func summarize(_ packets: [DecodedPacket], key: FlowKey, pathTTL knownPathTTL: Int?) -> WireEvidence {
        var wire = WireEvidence(packets: packets.count)
        var firstSYN: Double?
        var clientHelloTime: Double?
        var pathTTL = knownPathTTL
        for packet in packets {
            let outgoing: Bool
            switch packet.payload {
            case .tcp(let segment):
                outgoing = segment.sourcePort == key.localPort && packet.destination == key.remote
                if outgoing {
                    if segment.isSYN {
                        wire.synsSent += 1
                        if firstSYN == nil { firstSYN = packet.time }
                    }
                    if segment.tls == .clientHello && !wire.clientHelloSent {
                        wire.clientHelloSent = true
                        clientHelloTime = packet.time
                    }
                    continue
                }
                let after = firstSYN.map { Durations.milliseconds(packet.time - $0) }
                if segment.isSYNACK && wire.answer == .silence {
                    wire.answer = .synAck
                    wire.answerFrom = packet.source.description
                    wire.answerTtl = packet.ttl
                    wire.answerAfterMs = after
                    pathTTL = packet.ttl
                } else if segment.isRST {
                    if wire.answer == .silence {
                        wire.answer = .reset
                        wire.answerFrom = packet.source.description
                        wire.answerTtl = packet.ttl
                        wire.answerAfterMs = after
                    }
                    wire.resetTtl = packet.ttl
                    if wire.clientHelloSent && !wire.serverHello && !wire.tlsAlert {
                        wire.resetAfterClientHello = true
                        if let start = clientHelloTime, wire.clientHelloAnsweredAfterMs == nil {
                            wire.clientHelloAnsweredAfterMs = Durations.milliseconds(packet.time - start)
                        }
                    }
                    if let path = pathTTL, path != packet.ttl {
                        wire.injectedReset = true
                        wire.pathTtl = path
                    }
                }
                if let kind = segment.tls, wire.clientHelloSent {
                    if kind == .serverHello { wire.serverHello = true }
                    if kind == .alert { wire.tlsAlert = true }
                    if let start = clientHelloTime, wire.clientHelloAnsweredAfterMs == nil,
                        kind == .serverHello || kind == .alert
                    {
                        wire.clientHelloAnsweredAfterMs = Durations.milliseconds(packet.time - start)
                    }
                }
            case .icmpError(let error):
                if wire.answer == .silence || wire.answer == .icmp {
                    wire.answer = .icmp
                    wire.answerFrom = packet.source.description
                    wire.answerTtl = packet.ttl
                    wire.icmp = error.summary
                    wire.icmpAdminProhibited = error.isAdminProhibited
                    wire.answerAfterMs = firstSYN.map { Durations.milliseconds(packet.time - $0) }
                }
            }
        }
        return wire
    }
}
