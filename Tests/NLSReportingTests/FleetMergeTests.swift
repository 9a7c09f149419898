import Foundation
import NLSProbeCore
import Testing

@testable import NLSReporting

/// Merging a fleet: expected hosts, hosts named with what they ran, silent hosts' groups not measured.
@Suite struct FleetMergeTests {
    let fleet = """
        # the lab fleet
        probe-a 198.18.10.15 sources=clients
        probe-b\t198.18.11.15  sources=admins problem=unreachable: Failed to connect to the host via ssh: port 22: Connection refused

        """

    /// probe-a's report as the playbook fetches it; its host name differs from its inventory name.
    func probeA() -> Report { variant { $0.run.host = "a17.corp.example" } }

    @Test func expectedHostsAreParsed() throws {
        let expected = try ExpectedHosts(text: fleet, file: "hosts.txt")
        #expect(expected.hosts.map(\.name) == ["probe-a", "probe-b"])
        #expect(expected.hosts[0] == ExpectedHosts.Host(name: "probe-a", address: "198.18.10.15", sources: ["clients"]))
        #expect(expected.hosts[1].sources == ["admins"])
        #expect(
            expected.hosts[1].problem
                == "unreachable: Failed to connect to the host via ssh: port 22: Connection refused")
        let bare = try ExpectedHosts(text: "probe-c\r\nprobe-d address=10.0.0.4 sources=a,b\n", file: "f")
        #expect(
            bare.hosts == [.init(name: "probe-c"), .init(name: "probe-d", address: "10.0.0.4", sources: ["a", "b"])])
    }

    @Test func brokenExpectedHostsNameFileLineAndColumn() {
        let cases: [(String, String)] = [
            ("probe-a\nprobe-b 10.0.0.2 extra\n", "hosts.txt:2:18: 'extra' is not a field"),
            ("probe-a\n  probe-a\n", "hosts.txt:2:3: host 'probe-a' is named twice (first on line 1)"),
            ("probe-a sources=\n", "hosts.txt:1:9: empty source group"),
            ("probe-a \u{1B}[31m\n", "hosts.txt:1:9: control character \\u{1B} in the line"),
            ("# nothing\n\n", "hosts.txt: names no host"),
            ("p " + String(repeating: "x", count: 300), "hosts.txt:1:3: the address"),
        ]
        for (text, message) in cases {
            do {
                _ = try ExpectedHosts(text: text, file: "hosts.txt")
                Issue.record("accepted: \(text)")
            } catch {
                #expect(error.description.hasPrefix(message), "\(error.description)")
            }
        }
        #expect(throws: ExpectedHostsError.self) { try ExpectedHosts.read(path: "/nonexistent/hosts.txt") }
        #expect(throws: ExpectedHostsError.self) { try ExpectedHosts.read(path: "/tmp") }
    }

    @Test func aSilentHostsGroupsAreNotMeasuredNeverPass() throws {
        let expected = try ExpectedHosts(text: fleet, file: "hosts.txt")
        let merge = try FleetMerge.merging(
            [probeA()], files: ["fleet-reports/probe-a/cls-1.json"], expected: expected)
        let report = merge.report
        let admins = report.checks.filter { $0.source.group == "admins" }
        #expect(admins.count == 1)
        #expect(admins.allSatisfy { $0.verdict == .inconclusive && $0.notMeasured == true && $0.observed == nil })
        #expect(
            admins.first?.reason
                == "not measured: source group 'admins' is measured by 'probe-b' (unreachable: Failed to connect to the host via ssh: port 22: Connection refused), which gave no report"
        )
        #expect(report.checks.filter { $0.source.group == "clients" }.allSatisfy { $0.measuredBy == "probe-a" })
        #expect(report.summary.inconclusive == 1 && report.summary.skipped == 0)
        let hosts = try #require(report.probeHosts)
        #expect(hosts.map(\.name) == ["probe-a", "probe-b"])
        #expect(hosts[0].status == .reported && hosts[0].hostname == "a17.corp.example")
        #expect(hosts[0].address == "198.18.10.15" && hosts[0].toolVersion == report.tool.version)
        #expect(hosts[0].profileDigest == report.profile.digest && hosts[0].started == report.run.started)
        #expect(hosts[0].reports == ["fleet-reports/probe-a/cls-1.json"] && hosts[0].sources == ["clients"])
        #expect(hosts[1].status == .notReported && hosts[1].sources == ["admins"])
        #expect(merge.warnings.contains { $0.hasPrefix("probe-b (198.18.11.15) gave no report: unreachable") })
        #expect(FleetMerge.verdictLine(report).hasSuffix("(1 not measured), 0 skipped; 2 probe hosts, 1 reported"))
        #expect(FleetMerge.silentHostLines(report).first?.hasPrefix("no report from probe-b (198.18.11.15)") == true)

        let markdown = MarkdownReport.render(report)
        #expect(markdown.contains("## Probe hosts"))
        #expect(markdown.contains("| `probe-a` (a17.corp.example) | 198.18.10.15 | ✅ reported | clients |"))
        #expect(
            markdown.contains("| `probe-b` | 198.18.11.15 | ⛔ \\*\\*no report\\*\\*")
                || markdown.contains("⛔ **no report**"))
        #expect(markdown.contains("## Not measured"))
        #expect(markdown.contains("| admins | ⛔ not measured |") || markdown.contains("⛔ not measured"))
        #expect(markdown.contains("| clients (198.18.10.15) on probe-a |"))
        #expect(!markdown.contains("### ⚠️ inconclusive: `admins"))
        for format in ReportFormat.allCases { _ = ReportRenderer.render(report, as: format) }
    }

    @Test func aGroupNoHostNamesFallsOnSilentHostsThatNameNone() throws {
        let expected = try ExpectedHosts(text: "probe-a\nprobe-b problem=version check failed\n", file: "h")
        let report = try FleetMerge.merging([probeA()], files: ["x/probe-a/r.json"], expected: expected).report
        let admins = try #require(report.checks.first { $0.source.group == "admins" })
        #expect(admins.notMeasured == true)
        #expect(admins.reason.hasPrefix("not measured: no host that reported measured source group 'admins'"))
        // A group a reporting host names but did not measure stays skipped: that host is not silent.
        let named = try ExpectedHosts(text: "probe-a sources=clients,admins\nprobe-b\n", file: "h")
        let kept = try FleetMerge.merging([probeA()], files: ["x/probe-a/r.json"], expected: named).report
        #expect(kept.checks.first { $0.source.group == "admins" }?.verdict == .skipped)
    }

    @Test func withoutExpectedHostsEveryReportingHostIsNamed() throws {
        let second = variant { report in
            report.run.host = "probe-b"
            report.run.localAddresses = ["198.18.10.16"]
            report.tool.version = "9.9.9"
        }
        let merge = try FleetMerge.merging(
            [variant { $0.run.host = "probe-a" }, second], files: ["a.json", "b.json"], expected: nil)
        let hosts = try #require(merge.report.probeHosts)
        #expect(hosts.map(\.name) == ["probe-a", "probe-b"])
        #expect(hosts[1].localAddresses == ["198.18.10.16"] && hosts[1].toolVersion == "9.9.9")
        #expect(merge.warnings.contains { $0.hasPrefix("the hosts ran different nlsprobe versions") })
        // Both hosts measured the clients cells: both hosts' checks are kept.
        #expect(merge.report.checks.filter { $0.measuredBy == "probe-a" }.count == 4)
        #expect(merge.report.checks.filter { $0.measuredBy == "probe-b" }.count == 4)
        #expect(throws: FleetMergeError.self) {
            try FleetMerge.merging([variant { $0.run.host = "a" }], files: ["a.json"], expected: nil)
        }
    }

    @Test func differentProfileDigestsAreRefusedUnlessAllowed() throws {
        let edited = variant { report in
            report.run.host = "probe-b"
            report.profile.digest = "sha256:" + String(repeating: "2", count: 64)
        }
        let expected = try ExpectedHosts(text: "probe-a\nprobe-b\n", file: "h")
        do {
            _ = try FleetMerge.merging(
                [probeA(), edited], files: ["r/probe-a/1.json", "r/probe-b/1.json"], expected: expected)
            Issue.record("reports of two profile versions were merged")
        } catch {
            #expect(error.description.contains("come from different versions of profile 'cls'"))
        }
        let merged = try FleetMerge.merging(
            [probeA(), edited], files: ["r/probe-a/1.json", "r/probe-b/1.json"], expected: expected,
            allowProfileChange: true
        ).report
        #expect(merged.probeHosts?.map(\.profileDigest) == [probeA().profile.digest, edited.profile.digest])
        #expect(throws: FleetMergeError.self) { try FleetMerge.merging([], files: [], expected: expected) }
    }

    @Test func fleetFieldsWriteTheSameBytesAsJSONEncoder() throws {
        let expected = try ExpectedHosts(text: fleet, file: "hosts.txt")
        let report = try FleetMerge.merging([probeA()], files: ["f/probe-a/r.json"], expected: expected).report
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let theirs = String(decoding: try encoder.encode(report), as: UTF8.self) + "\n"
        let ours = String(decoding: JSONReport.encode(report), as: UTF8.self)
        #expect(ours == theirs)
        #expect(ours.contains("\"not_measured\" : true") && ours.contains("\"probe_hosts\" : ["))
        #expect(try JSONReport.decode(Data(ours.utf8), path: "memory") == report)
    }
}
