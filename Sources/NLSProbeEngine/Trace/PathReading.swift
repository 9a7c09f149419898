import NLSProbeCore

/// Reads a trace's hops: where the flow stopped, which device stops it, and in words.
public enum PathReading {
    /// The evidence for a trace of `destination` (the hops, in TTL order). `resetTtl` is the TTL a
    /// reset arrived with, when a raw socket or the capture saw it.
    public static func read(
        hops: [PathHop], destination: String, resetTtl: Int? = nil, sourcePort: Int? = nil, note: String? = nil,
        durationMs: Double = 0
    ) -> PathEvidence {
        var evidence = PathEvidence(
            hops: hops, stop: .unknown, sourcePort: sourcePort, summary: "", probes: hops.count,
            durationMs: durationMs)
        let list = "hops " + hops.map(hopText).joined(separator: ", ")
        func forwarding(_ address: String) -> PathHop? {
            hops.first { $0.answer == .timeExceeded && $0.from == address }
        }
        let lastForwarding = hops.last { $0.answer == .timeExceeded }
        guard let last = hops.last else {
            evidence.summary = "not traced" + (note.map { ": \($0)" } ?? "")
            return evidence
        }
        switch last.answer {
        case .synAck:
            evidence.stop = .reachedDestination
            evidence.summary =
                "the path is open to \(destination) at the TCP level (SYN-ACK at hop \(last.ttl)): the failure is above TCP; \(list)"
        case .reset:
            let origin = resetOrigin(resetTtl: resetTtl, probeTtl: last.ttl)
            if let origin, origin.hop < last.ttl {
                // Sent nearer than the probe reached: a device on the path forges it.
                let device = hops.first { $0.ttl == origin.hop }?.from
                evidence.stop = .reset
                evidence.stopHop = origin.hop
                evidence.stopAddress = device
                evidence.resetOrigin = origin.text
                evidence.summary =
                    "reset by hop \(origin.hop)\(device.map { " (\($0))" } ?? ""), not by \(destination): \(origin.text); \(list)"
            } else {
                evidence.stop = .reset
                evidence.stopHop = last.ttl
                evidence.stopAddress = destination
                evidence.resetOrigin = origin?.text
                let after = lastForwarding.map { " past hop \($0.ttl) (\($0.from ?? "?"))" } ?? ""
                evidence.summary =
                    "reset at hop \(last.ttl), the first probe to get\(after): \(destination) itself or a device in front of it that answers in its name"
                    + (origin.map { " (\($0.text))" }
                        ?? " (the reset's TTL was not seen: run as root or with --capture to tell them apart)")
                    + "; \(list)"
            }
        case .unreachable:
            let sender = last.from ?? "?"
            // A router that forwards the flow and also rejects it answered an earlier probe too.
            let hop = forwarding(sender)?.ttl ?? last.ttl
            evidence.stop = .rejected
            evidence.stopHop = hop
            evidence.stopAddress = sender
            evidence.summary = "rejected by hop \(hop) (\(sender)): \(last.icmp ?? "ICMP unreachable"); \(list)"
        case .silence:
            evidence.stop = .dropped
            if let lastForwarding, let from = lastForwarding.from {
                evidence.stopHop = lastForwarding.ttl
                evidence.stopAddress = from
                evidence.summary = "dropped after hop \(lastForwarding.ttl) (\(from)); \(list)"
            } else {
                evidence.summary =
                    "dropped before the first hop answered (this host's own firewall, or the first router, drops it; or the routers send no ICMP time exceeded); \(list)"
            }
        case .timeExceeded:
            evidence.summary =
                "\(destination) not reached within \(hops.count) hops\(note.map { " (\($0))" } ?? ""); \(list)"
        case .localError:
            evidence.summary = "not traced: \(note ?? "this host could not send the probe")"
        }
        return evidence
    }

    /// Where a reset came from by its TTL: initial TTLs are 64, 128 or 255, each router on the way
    /// back takes one, so a reset arriving with TTL t was sent (initial − t + 1) hops away, when
    /// the way back is as long as the way there.
    static func resetOrigin(resetTtl: Int?, probeTtl: Int) -> (hop: Int, text: String)? {
        guard let ttl = resetTtl, (1...255).contains(ttl) else { return nil }
        let initial = [64, 128, 255].first { $0 >= ttl } ?? 255
        let hop = initial - ttl + 1
        guard hop >= 1, hop <= probeTtl else { return nil }
        let taken = initial - ttl
        return (
            hop,
            "the reset arrived with TTL \(ttl) = \(initial) − \(taken): sent \(hop) hop\(hop == 1 ? "" : "s") away"
        )
    }

    /// "1 198.18.110.1", "2 *", "3 198.18.121.10 (rst)".
    static func hopText(_ hop: PathHop) -> String {
        switch hop.answer {
        case .timeExceeded: return "\(hop.ttl) \(hop.from ?? "?")"
        case .silence: return "\(hop.ttl) *"
        case .localError: return "\(hop.ttl) (not sent)"
        case .unreachable: return "\(hop.ttl) \(hop.from ?? "?") (unreachable)"
        case .reset: return "\(hop.ttl) \(hop.from ?? "?") (rst)"
        case .synAck: return "\(hop.ttl) \(hop.from ?? "?") (syn-ack)"
        }
    }
}
