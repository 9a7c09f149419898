import NLSProbeCore
import Testing

@testable import NLSProbeEngine

/// What capture evidence makes of a result: the wire has the last word.
@Suite struct WireEvidenceClassifierTests {
    static func record(_ observed: Observed, expect: NLSProbeCore.Expectation = .allow) -> CheckRecord {
        let check = PlannedCheck(
            flowIndex: 0, port: 443, proto: .tls, sourceGroup: "clients", sourceAddress: nil,
            destinationGroup: "cls", host: "cls.test", address: "198.18.0.2", expect: expect,
            settings: CheckSettings())
        let flow = CheckFlow(
            index: 0, port: 443, protocol: .tls, direction: .egress, services: [], from: "clients", to: "cls")
        var record = CheckRecord(
            id: check.id, flow: flow, source: SourceRef(group: "clients", address: nil),
            destination: DestinationRef(group: "cls", host: "cls.test", address: "198.18.0.2"), proxy: nil,
            expect: expect, observed: observed, verdict: Verdict.judge(expect: expect, observed: observed),
            reason: "socket reason", attempts: [], timingsMs: Timings(total: 1), evidence: Evidence())
        record.reason = "socket reason"
        return record
    }

    @Test func anICMPErrorMakesATimeoutUnreachable() {
        let wire = WireEvidence(
            synsSent: 1, answer: .icmp, answerFrom: "198.18.0.1", icmp: "destination unreachable (ICMP 3/13)")
        let record = WireEvidenceClassifier.apply(wire, to: Self.record(.filtered, expect: .block))
        #expect(record.observed == .unreachable)
        #expect(record.verdict == .pass)
        #expect(record.evidence.wire == wire)
        #expect(
            record.reason
                == "ICMP destination unreachable (ICMP 3/13) from 198.18.0.1 in answer to the SYN (the socket itself only saw a timeout)"
        )
    }

    @Test func aResetSeenOnTheWireMakesATimeoutRefused() {
        let wire = WireEvidence(
            synsSent: 1, answer: .reset, answerFrom: "198.18.0.2", injectedReset: true, resetTtl: 60, pathTtl: 64)
        let record = WireEvidenceClassifier.apply(wire, to: Self.record(.filtered))
        #expect(record.observed == .refused)
        #expect(record.reason.hasPrefix("RST from 198.18.0.2 in answer to the SYN"))
        #expect(
            record.reason.hasSuffix(
                "the reset's TTL 60 differs from the path's 64: sent by a firewall or middlebox, not the server"))
    }

    @Test func aResetAfterTheClientHelloSaysWhen() {
        var wire = WireEvidence(synsSent: 1, answer: .synAck, clientHelloSent: true, resetAfterClientHello: true)
        wire.clientHelloAnsweredAfterMs = 2.5
        #expect(
            WireEvidenceClassifier.apply(wire, to: Self.record(.tlsFailed)).reason
                == "TCP connected and the ClientHello left; a reset came back 2.5 ms after it")
        wire.clientHelloAnsweredAfterMs = 3
        #expect(WireEvidenceClassifier.apply(wire, to: Self.record(.tlsFailed)).reason.hasSuffix("back 3 ms after it"))
        wire.clientHelloAnsweredAfterMs = 0.04
        #expect(
            WireEvidenceClassifier.apply(wire, to: Self.record(.tlsFailed)).reason.hasSuffix(
                "back under 0.1 ms after it"))
    }

    @Test func anOpenCheckKeepsItsResult() {
        let wire = WireEvidence(synsSent: 1, answer: .synAck, answerFrom: "198.18.0.2")
        let record = WireEvidenceClassifier.apply(wire, to: Self.record(.open))
        #expect(record.observed == .open)
        #expect(record.reason == "socket reason")
        #expect(record.evidence.wire == wire)
    }
}
