import Foundation
import NLSProbeCore
import Testing

@testable import NLSReporting

/// The hand-written report JSON must stay byte for byte what Foundation's JSONEncoder writes for the
/// same model (snake_case, sorted keys, pretty printed): other tools and the golden files rely on it.
@Suite struct JSONTextTests {
    /// A report with awkward strings and awkward numbers, most optionals set (``completeReport()``
    /// sets them all).
    func everyFieldReport() -> Report {
        var report = fixedReport()
        report.run.capture = "/var/lib/nlsprobe/run \"1\".pcap"
        report.run.warnings = ["token expired\n2026-11-01", "tab\there", "bell \u{7}, unit \u{1f}, del \u{7f}"]
        report.run.clockSkewLimitS = 300
        report.profile.reference = nil
        var flow = report.flows[0]
        flow.note = "acquisition é 😀 \u{2028} / \\ done"
        report.flows.append(flow)
        var check = report.checks[0]
        check.measuredBy = "probe-02"
        check.source.subnet = "198.18.10.0/24"
        check.proxy = "http://proxy.example.test:3128"
        check.observed = .proxyAuthRequired
        check.timingsMs = Timings(dns: 0.1, connect: 1e-7, tls: 123456789.123, request: -0.0, total: 1.0 / 3)
        check.evidence.http = HTTPEvidence(
            status: 407, server: "squid", via: "1.1 p", date: "Sun, 29 Nov 2026 10:00:00 GMT", clockSkewS: -2.5)
        check.evidence.proxy = ProxyEvidence(
            url: "http://proxy.example.test:3128", address: "198.18.0.3:3128", status: "HTTP/1.1 407 Proxy Auth",
            server: "squid/5.7", via: "1.1 proxy", error: "ERR_CACHE_ACCESS_DENIED 0", authOffered: ["Basic", "NTLM"],
            credentialsSent: true)
        check.evidence.tls?.alpn = "http/1.1"
        check.evidence.wire = WireEvidence(
            synsSent: 2, answer: .reset, answerFrom: "198.18.2.1", answerAfterMs: 0.25, answerTtl: 61, icmp: "port",
            icmpAdminProhibited: true, injectedReset: true, resetTtl: 61, pathTtl: 64, clientHelloSent: true,
            serverHello: true, tlsAlert: true, resetAfterClientHello: true, clientHelloAnsweredAfterMs: 1e20,
            packets: 9)
        report.checks.append(check)
        var bare = report.checks[3]
        bare.evidence.wire = WireEvidence()
        bare.evidence.tls = TLSEvidence()
        report.checks.append(bare)
        // The summary is recomputed whenever a report is read: keep it true to the checks.
        report.summary = Summary(report.checks.map(\.verdict))
        return report
    }

    @Test func sameBytesAsJSONEncoderForTheFixedReport() throws {
        let ours = String(decoding: JSONReport.encode(fixedReport()), as: UTF8.self)
        #expect(ours == (try foundationJSON(fixedReport())))
    }

    @Test func sameBytesAsJSONEncoderForEveryField() throws {
        let report = everyFieldReport()
        let ours = String(decoding: JSONReport.encode(report), as: UTF8.self)
        let theirs = try foundationJSON(report)
        #expect(ours == theirs)
        if ours != theirs {
            let mine = ours.split(separator: "\n", omittingEmptySubsequences: false)
            let foundation = theirs.split(separator: "\n", omittingEmptySubsequences: false)
            if let line = (0..<min(mine.count, foundation.count)).first(where: { mine[$0] != foundation[$0] }) {
                Issue.record("first difference at line \(line + 1): \(mine[line]) vs \(foundation[line])")
            }
        }
        #expect(try JSONReport.decode(Data(ours.utf8), path: "memory") == report)
    }

    /// Strings are looked at eight bytes at a time for something to escape: every escaped byte, and
    /// bytes next to them in value, at every place in and around a word, in strings of every length
    /// up to 40 (copied whole as bytes, words or by memmove), as JSONEncoder writes them.
    @Test func sameBytesForEscapesAtEveryPlaceInAWord() throws {
        let escaped = ["\"", "\\", "\n", "\u{1}", "\u{1f}", "\t"]
        let plain = ["!", "#", "[", "]", " ", "\u{7f}", "é", "😀", "a"]
        var strings: [String] = [""]
        for length in 1...40 {
            for mark in escaped + plain {
                for place in [0, length / 2, length - 1] {
                    var characters = Array(repeating: "x", count: length)
                    characters[place] = mark
                    strings.append(characters.joined())
                }
            }
        }
        var report = fixedReport()
        report.run.warnings = strings
        #expect(String(decoding: JSONReport.encode(report), as: UTF8.self) == (try foundationJSON(report)))
    }

    @Test func sameBytesForAReportWithoutChecks() throws {
        var report = fixedReport()
        report.checks = []
        report.flows = []
        report.summary = Summary([])
        #expect(String(decoding: JSONReport.encode(report), as: UTF8.self) == (try foundationJSON(report)))
    }
}
