import Foundation
import NLSProbeCore
import NLSReporting
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// What the terminal and the Markdown say agrees with what was measured: node-to-node rows that
/// passed show pass, skipped checks say why, timings add up and read the same in JSON and Markdown.
/// Loopback only (the whole of 127.0.0.0/8 answers on lo); needs no root.
@Suite struct ReportConsistencyTests {
    /// A scratch folder of this test's own, removed with it.
    let scratch: TemporaryFolder
    var folder: URL { scratch.url }

    init() throws { scratch = try TemporaryFolder() }

    func write(_ text: String, _ name: String) throws -> String { try scratch.write(text, name) }

    func onlyFile(in directory: String, ending: String) throws -> String {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(ending) }
        #expect(names.count == 1, "\(names)")
        return directory + "/" + (try #require(names.first))
    }

    /// A dls-ha style group of two nodes, this host being the first (127.0.0.1): the pair it starts
    /// runs and passes, the pair the other node starts is skipped, named by that node and explained.
    @Test func nodeToNodeRowsShowPassWhereTheyPassed() throws {
        let listener = try LoopbackListener(bindTo: "0.0.0.0")
        defer { listener.close() }
        let profile = try write(
            """
            profile: ha-nodes
            title: node to node
            destinations:
              dls-nodes:
                hosts: [127.0.0.1, 127.0.0.2]
            flows:
              - {port: \(listener.port), protocol: tcp, direction: ingress, from: dls-nodes, to: dls-nodes}
            defaults:
              connect_timeout: 1s
              attempts: 1
            """, "ha.yaml")
        let output = folder.appendingPathComponent("ha").path
        let result = try run([nlsprobeExecutable, "run", profile, "--output", output], allowFailure: true)
        #expect(result.status == 0, "\(result.output)")
        #expect(!result.output.contains("SKIPPED  open"), "\(result.output)")
        #expect(
            result.output.contains(
                "PASS  open; 1 skipped: started by 127.0.0.2, which this host is not: the other node runs this pair"),
            "\(result.output)")
        let report = try JSONReport.read(path: try onlyFile(in: output, ending: ".json"))
        let skipped = try #require(report.checks.first { $0.verdict == .skipped })
        #expect(skipped.source.address == "127.0.0.2")
        #expect(report.run.localAddresses == ["127.0.0.1"])
        let markdown = try String(contentsOfFile: try onlyFile(in: output, ending: ".md"), encoding: .utf8)
        #expect(!markdown.contains("➖ skipped (2/2 passed)"), "\(markdown)")
        #expect(markdown.contains("| ✅ pass, 1 skipped: started by 127.0.0.2, which this host is not"), "\(markdown)")
        #expect(markdown.contains("| dls-nodes (127.0.0.1) | ✅ pass |"), "\(markdown)")
        #expect(markdown.contains("| dls-nodes (127.0.0.2) | ➖ skipped |"), "\(markdown)")
        #expect(markdown.contains("## Skipped checks"), "\(markdown)")
        #expect(markdown.contains("`dls-nodes 127.0.0.2 -> dls-nodes 127.0.0.1 tcp/\(listener.port)`"), "\(markdown)")
    }

    /// `total` is name resolution plus every attempt; the Markdown prints the JSON's numbers.
    @Test func timingsAddUpAndMatchBetweenJSONAndMarkdown() throws {
        // A closed port on a name that resolves: every check fails quickly and shows its timings.
        let listener = try LoopbackListener(bindTo: "127.0.0.1")
        let port = listener.port
        listener.close()
        let profile = try write(
            """
            profile: timings
            title: timings
            sources:
              here: {}
            destinations:
              target:
                hosts: [localhost]
            flows:
              - {port: \(port), protocol: tcp, direction: egress, from: here, to: target, expect: allow}
            defaults:
              connect_timeout: 1s
              attempts: 2
            """, "timings.yaml")
        let output = folder.appendingPathComponent("timings").path
        let result = try run([nlsprobeExecutable, "run", profile, "--output", output], allowFailure: true)
        #expect(result.status == 1, "\(result.output)")
        let report = try JSONReport.read(path: try onlyFile(in: output, ending: ".json"))
        let markdown = try String(contentsOfFile: try onlyFile(in: output, ending: ".md"), encoding: .utf8)
        #expect(!report.checks.isEmpty)
        for check in report.checks {
            let timings = check.timingsMs
            let dns = try #require(timings.dns, "a name was resolved: \(check.id)")
            let attempts = check.attempts.reduce(0) { $0 + $1.elapsedMs }
            #expect(timings.total >= dns, "\(check.id): total \(timings.total) < dns \(dns)")
            #expect(abs(timings.total - (dns + attempts)) <= 0.11, "\(check.id): \(timings)")
            let phases = [("dns", timings.dns), ("connect", timings.connect), ("tls", timings.tls)]
                .compactMap { name, value in value.map { "\(name) \(UntrustedNumber.text($0)) ms" } }
            let line =
                "timings: " + (phases + ["total \(UntrustedNumber.text(timings.total)) ms"]).joined(separator: ", ")
            #expect(markdown.contains(line), "\(line) not in the Markdown")
        }
    }
}
