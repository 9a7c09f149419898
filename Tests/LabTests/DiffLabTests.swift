import Foundation
import NLSProbeCore
import NLSReporting
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `diff` and `merge` on reports of real runs: nlsprobe runs in the client namespace of a MiniLab
/// (198.18.0.1, server at 198.18.0.2 and 198.18.0.3 listening on 8443, port 81 dropped). The
/// client namespace's /etc/hosts (`/etc/netns/NAME/hosts`, bind-mounted by `ip netns exec` at
/// every run) is rewritten between the runs: the name `lic.test` resolves, moves or disappears.
@Suite(.serialized, .enabled(if: LabPrivilege.canRun, LabPrivilege.skipReason))
struct DiffLabTests {
    static func profile(extraFlow: String = "") -> String {
        """
        profile: diff-lab
        title: diff and merge on real runs
        sources:
          clients:
            subnets: [198.18.0.0/24]
          admins:
            subnets: [198.18.0.0/24]
        destinations:
          lic:
            hosts: [lic.test]
        flows:
          - {port: 8443, protocol: tcp, direction: egress, from: clients, to: lic}
          - {port: 8443, protocol: tcp, direction: egress, from: admins, to: lic}
        \(extraFlow)
        defaults:
          connect_timeout: 1s
          dns_timeout: 2s
          attempts: 1
        """
    }

    /// Points `lic.test` at `addresses` (none: the name does not resolve) for the next runs.
    func resolve(_ lab: MiniLab, _ addresses: [String]) throws {
        let lines = ["127.0.0.1 localhost"] + addresses.map { "\($0) lic.test" }
        try (lines.joined(separator: "\n") + "\n").write(
            toFile: "/etc/netns/\(lab.client)/hosts", atomically: true, encoding: .utf8)
    }

    /// Runs nlsprobe in the client namespace; returns its exit status and the JSON report's path.
    func probe(_ lab: MiniLab, _ name: String, profile: String = DiffLabTests.profile(), arguments: [String] = [])
        throws -> (status: Int32, path: String)
    {
        let file = lab.folder.appendingPathComponent("\(name).yaml").path
        try profile.write(toFile: file, atomically: true, encoding: .utf8)
        let output = lab.folder.appendingPathComponent("reports-\(name)").path
        let result = try run(
            ["ip", "netns", "exec", lab.client, nlsprobeExecutable, "run", file, "--output", output, "--quiet"]
                + arguments, allowFailure: true)
        let files = (try? FileManager.default.contentsOfDirectory(atPath: output)) ?? []
        guard let json = files.first(where: { $0.hasSuffix(".json") }) else {
            throw LabError(description: "\(name): no JSON report written (exit \(result.status)): \(result.output)")
        }
        return (result.status, output + "/" + json)
    }

    func diff(_ before: String, _ after: String, _ extra: [String] = []) throws -> (status: Int32, output: String) {
        try run([nlsprobeExecutable, "diff", before, after] + extra, allowFailure: true)
    }

    /// The diff's JSON form, decoded.
    func diffJSON(_ before: String, _ after: String, _ extra: [String] = []) throws -> ReportDiff {
        let result = try run(
            [nlsprobeExecutable, "diff", before, after, "--format", "json"] + extra, allowFailure: true)
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(ReportDiff.self, from: Data(result.output.utf8))
    }

    /// Finding 1: DNS broken after the change used to read "No regression" (every check added or removed).
    @Test func dnsBrokenAfterAChangeIsARegression() throws {
        let lab = try MiniLab()
        defer { lab.down() }
        try resolve(lab, ["198.18.0.2"])
        let before = try probe(lab, "before")
        #expect(before.status == 0)
        try resolve(lab, [])
        let after = try probe(lab, "after")
        #expect(after.status == 1)
        #expect(try JSONReport.read(path: after.path).checks.allSatisfy { $0.observed == .dnsFailed })
        let result = try diff(before.path, after.path)
        #expect(result.status == 1, "\(result.output)")
        #expect(
            result.output.contains("**REGRESSION** in 2 cells: 2 regression, 0 new failure, 0 not measured"),
            "\(result.output)")
        #expect(
            result.output.contains(
                "| regression | `clients 198.18.0.0/24 -> lic lic.test tcp/8443` | pass (open) | fail (dns-failed) | no longer resolves ("
            ),
            "\(result.output)")
        #expect(result.output.contains("it resolved to 198.18.0.2 before"))
        let json = try diffJSON(before.path, after.path)
        #expect(json.outcome == .regression)
        #expect(json.entries.allSatisfy { $0.change == .regression })
    }

    /// A name that moves to new addresses that all pass: no regression, the address change reported.
    @Test func aNameThatMovesToAddressesThatPassIsNoRegression() throws {
        let lab = try MiniLab()
        defer { lab.down() }
        try resolve(lab, ["198.18.0.2"])
        let before = try probe(lab, "before")
        try resolve(lab, ["198.18.0.3"])
        let after = try probe(lab, "after")
        #expect(before.status == 0 && after.status == 0)
        let result = try diff(before.path, after.path)
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("**No regression** in 2 cells: 0 regression"), "\(result.output)")
        #expect(
            result.output.contains(
                "| changed | `clients 198.18.0.0/24 -> lic lic.test tcp/8443` | pass (open) | pass (open) | now resolves to 198.18.0.3 instead of 198.18.0.2; the new one 198.18.0.3 passes |"
            ), "\(result.output)")
        // Two addresses now, one of them new: still the same cell, still no regression.
        try resolve(lab, ["198.18.0.2", "198.18.0.3"])
        let both = try probe(lab, "both")
        let widened = try diffJSON(before.path, both.path)
        #expect(widened.outcome == .noRegression)
        #expect(
            widened.entries.first?.addresses
                == "now resolves to 198.18.0.2, 198.18.0.3 instead of 198.18.0.2; the new one 198.18.0.3 passes")
    }

    /// The probe host got another address in the same subnet: the cells are the same, nothing changed.
    @Test func aNewProbeAddressInTheSameSubnetChangesNothing() throws {
        let lab = try MiniLab()
        defer { lab.down() }
        try resolve(lab, ["198.18.0.2"])
        let before = try probe(lab, "before")
        // Deleted first: deleting a primary address also deletes the secondaries of its subnet.
        try run(["ip", "-n", lab.client, "addr", "del", "198.18.0.1/24", "dev", "vc-\(lab.tag)"])
        try run(["ip", "-n", lab.client, "addr", "add", "198.18.0.9/24", "dev", "vc-\(lab.tag)"])
        let after = try probe(lab, "after")
        let report = try JSONReport.read(path: after.path)
        #expect(report.checks.allSatisfy { $0.source.address == "198.18.0.9" && $0.verdict == .pass })
        let result = try diff(before.path, after.path)
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("0 added, 0 removed, 2 unchanged"), "\(result.output)")
        #expect(result.output.contains("Nothing changed."))
    }

    /// Finding 2: a flow the change request added, failing after the change, is a new failure.
    @Test func aNewFailingFlowIsANewFailure() throws {
        let lab = try MiniLab()
        defer { lab.down() }
        try resolve(lab, ["198.18.0.2"])
        let before = try probe(lab, "before")
        let added = "  - {port: 81, protocol: tcp, direction: egress, from: clients, to: lic}"
        let after = try probe(lab, "after", profile: Self.profile(extraFlow: added))
        #expect(after.status == 1)
        let refused = try diff(before.path, after.path)
        #expect(refused.status == 64)
        #expect(
            refused.output.contains(
                "\(before.path) and \(after.path) come from different versions of profile 'diff-lab'"),
            "\(refused.output)")
        #expect(refused.output.contains("add --allow-profile-change"))
        let result = try diff(before.path, after.path, ["--allow-profile-change"])
        #expect(result.status == 1, "\(result.output)")
        #expect(result.output.contains("**REGRESSION** in 3 cells: 0 regression, 1 new failure"), "\(result.output)")
        #expect(
            result.output.contains(
                "| new failure | `clients 198.18.0.0/24 -> lic lic.test tcp/81` | – | fail (filtered) |"),
            "\(result.output)")
    }

    /// A source group measured before and not after (not run: `--source`) makes diff inconclusive, exit 2.
    @Test func aSourceGroupNotMeasuredAfterIsInconclusive() throws {
        let lab = try MiniLab()
        defer { lab.down() }
        try resolve(lab, ["198.18.0.2"])
        let before = try probe(lab, "before")
        let after = try probe(lab, "after", arguments: ["--source", "clients"])
        #expect(after.status == 0)
        let result = try diff(before.path, after.path)
        #expect(result.status == 2, "\(result.output)")
        #expect(result.output.contains("**INCONCLUSIVE** in 2 cells: 0 regression, 0 new failure, 1 not measured"))
        #expect(
            result.output.contains(
                "| not measured | `admins -> lic lic.test tcp/8443` | pass (open) | skipped | – | not measured after the change: only source group 'clients' was selected (--source) |"
            ), "\(result.output)")
        #expect(try diffJSON(before.path, after.path).outcome == .inconclusive)
    }

    /// Finding 4: the same report twice is merged once with a warning; other profile versions are
    /// refused naming both files, and taken with --allow-profile-change.
    @Test func mergeTakesEachRunOnceAndNamesTheFiles() throws {
        let lab = try MiniLab()
        defer { lab.down() }
        try resolve(lab, ["198.18.0.2"])
        let first = try probe(lab, "first")
        let output = lab.folder.appendingPathComponent("merged").path
        let twice = try run(
            [nlsprobeExecutable, "merge", first.path, first.path, "--output", output, "--format", "json"],
            allowFailure: true)
        #expect(twice.status == 0, "\(twice.output)")
        #expect(
            twice.output.contains("warning: \(first.path) is the same run as \(first.path) (host "), "\(twice.output)")
        #expect(twice.output.contains("): 2 cells from clients 198.18.0.0/24, admins 198.18.0.0/24"), "\(twice.output)")
        let merged = try #require(
            (try? FileManager.default.contentsOfDirectory(atPath: output))?.first { $0.hasSuffix(".json") })
        let report = try JSONReport.read(path: output + "/" + merged)
        #expect(report.checks.count == 2)
        #expect(report.checks.allSatisfy { $0.measuredBy != nil })
        let edited = try probe(
            lab, "edited",
            profile: Self.profile(
                extraFlow: "  - {port: 81, protocol: tcp, direction: egress, from: clients, to: lic, expect: block}"))
        let refused = try run(
            [nlsprobeExecutable, "merge", first.path, edited.path, "--output", output], allowFailure: true)
        #expect(refused.status == 64)
        #expect(
            refused.output.contains("\(first.path) and \(edited.path) come from different versions of profile"),
            "\(refused.output)")
        let allowed = try run(
            [nlsprobeExecutable, "merge", first.path, edited.path, "--output", output, "--allow-profile-change"],
            allowFailure: true)
        #expect(allowed.status == 0, "\(allowed.output)")
        #expect(allowed.output.contains("report: "))
    }
}
