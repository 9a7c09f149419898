import NLSProbeCore

/// How what crossed the wire (packet capture) changes a check's result. The wire has the last
/// word: an ICMP error seen on the wire makes a timeout `unreachable` and names who sent it, a
/// reset seen answering the SYN makes a timeout `refused`, and a reset after the ClientHello or an
/// injected reset says so in the reason.
enum WireEvidenceClassifier {
    /// The record with `wire` as its evidence, and its observation, reason and verdict as the wire
    /// shows them.
    static func apply(_ wire: WireEvidence, to record: CheckRecord) -> CheckRecord {
        var record = record
        record.evidence.wire = wire
        guard let observed = record.observed else { return record }
        switch (observed, wire.answer) {
        case (.filtered, .icmp), (.unreachable, .icmp):
            record.observed = .unreachable
            record.reason =
                "ICMP \(wire.icmp ?? "error") from \(wire.answerFrom ?? "?") in answer to the SYN"
                + (observed == .filtered ? " (the socket itself only saw a timeout)" : "")
        case (.filtered, .reset):
            record.observed = .refused
            record.reason =
                "RST from \(wire.answerFrom ?? "?") in answer to the SYN (the socket itself only saw a timeout)"
        default:
            break
        }
        if record.observed == .refused && wire.injectedReset, let resetTtl = wire.resetTtl, let pathTtl = wire.pathTtl {
            record.reason +=
                "; the reset's TTL \(resetTtl) differs from the path's \(pathTtl): sent by a firewall or middlebox, not the server"
        }
        if record.observed == .tlsFailed && wire.resetAfterClientHello {
            let after = wire.clientHelloAnsweredAfterMs.map { " \(millisecondsText($0)) after it" } ?? ""
            record.reason =
                "TCP connected and the ClientHello left; a reset came back\(after)"
                + (wire.injectedReset ? ", injected by a middlebox (its TTL differs from the path's)" : "")
        }
        if let observed = record.observed {
            record.verdict = Verdict.judge(expect: record.expect, observed: observed)
        }
        return record
    }

    /// A wire timing (milliseconds, already to 0.1 ms) as the reason writes it: "3 ms", "2.5 ms",
    /// "under 0.1 ms". Finer than `Durations.format`, which rounds to whole milliseconds: packet
    /// timings on a LAN are often below one.
    static func millisecondsText(_ value: Double) -> String {
        if value < 0.1 { return "under 0.1 ms" }
        return value == value.rounded() ? "\(Int(value)) ms" : "\(value) ms"
    }
}
