import Foundation
import NLSProbeCore
import Testing

@testable import NLSReporting

/// A check of the fixed report's cell `clients -> cls api.cls.licensing.nvidia.com tls/443` at
/// another address, source address or outcome.
func cellCheck(
    address: String?, verdict: Verdict = .pass, observed: Observed? = .open, source: String? = "198.18.10.15",
    subnet: String? = nil, reason: String = "TLS handshake completed"
) -> CheckRecord {
    var check = fixedReport().checks[0]
    check.destination.address = address
    check.source.address = source
    check.source.subnet = subnet
    check.verdict = verdict
    check.observed = observed
    check.reason = reason
    check.id = "clients \(source ?? "*") -> cls api.cls.licensing.nvidia.com \(address ?? "") tls/443"
    return check
}

/// The fixed report with the checks of cell `clients -> cls api… tls/443` (its first two) replaced.
func withCell(_ checks: [CheckRecord], _ change: (inout Report) -> Void = { _ in }) -> Report {
    variant { report in
        report.checks.removeFirst(2)
        report.checks.insert(contentsOf: checks, at: 0)
        change(&report)
    }
}

let tlsCell = "clients -> cls api.cls.licensing.nvidia.com tls/443"

/// `diff` compares cells (source group and subnet, destination host, protocol and port, path), and
/// pairs the checks of a cell by address.
@Suite struct DiffTests {
    func entry(_ diff: ReportDiff, _ id: String = tlsCell) throws -> ReportDiff.Entry {
        try #require(diff.entries.first { $0.id == id })
    }

    @Test func theFixedReportHasFourCells() throws {
        let diff = try ReportDiff.compare(fixedReport(), fixedReport())
        #expect(
            diff.entries.map(\.id).sorted() == [
                "admins -> dls dls.example.test tls/443", "clients -> cls api.cls.licensing.nvidia.com tcp/80", tlsCell,
                "clients -> cls nls.example.invalid tcp/80",
            ])
        #expect(diff.counts["unchanged"] == 4 && diff.outcome == .noRegression)
        #expect(try entry(diff).before == "fail (open, filtered)")
        #expect(diff.markdown().contains("**No regression** in 4 cells: 0 regression, 0 new failure, 0 not measured"))
    }

    @Test func everyClass() throws {
        let before = variant { report in
            // tls/443: pass at both addresses.
            report.checks[1].verdict = .pass
            report.checks[1].observed = .open
        }
        let after = variant { report in
            // tls/443: .2 filtered: regression. tcp/80 api: tls-untrusted -> refused: changed.
            // nls.example.invalid: gone (measured before): not measured. admins: skipped both: unchanged.
            report.checks[2].observed = .refused
            report.checks.remove(at: 3)
            var added = report.checks[2]
            added.destination.host = "new.example.test"
            report.checks.append(added)
        }
        let diff = try ReportDiff.compare(before, after)
        #expect(
            diff.counts == [
                "regression": 1, "new-failure": 1, "not-measured": 1, "inconclusive": 0, "fixed": 0, "changed": 1,
                "added": 0, "removed": 0, "unchanged": 1,
            ])
        #expect(diff.outcome == .regression && diff.hasRegression)
        #expect(diff.entries.map(\.change) == [.regression, .newFailure, .notMeasured, .changed, .unchanged])
        let regression = try entry(diff)
        #expect(regression.before == "pass (open ×2)" && regression.after == "fail (open, filtered)")
        #expect(regression.reason == "198.18.2.2: no answer to SYN within 3.0 s (all 2 attempts)")
        #expect(regression.checks.map(\.status) == [.unchanged, .regression])
        let markdown = diff.markdown()
        #expect(
            markdown.contains("**REGRESSION** in 5 cells: 1 regression, 1 new failure, 1 not measured, 0 inconclusive"))
        #expect(
            markdown.contains(
                "| regression | `\(tlsCell)` | pass (open ×2) | fail (open, filtered) | 198.18.2.2: pass (open) → fail (filtered) |"
            ), "\(markdown)")
        #expect(
            markdown.contains("| not measured | `clients -> cls nls.example.invalid tcp/80` | fail (dns-failed) | – |"))
    }

    /// Finding 1: before, the name resolves and passes; after, DNS is broken.
    @Test func aNameThatStopsResolvingIsARegression() throws {
        let before = withCell([cellCheck(address: "198.18.2.1"), cellCheck(address: "198.18.2.2")])
        let after = withCell([
            cellCheck(
                address: nil, verdict: .fail, observed: .dnsFailed, source: nil,
                reason: "api.cls.licensing.nvidia.com does not exist in DNS")
        ])
        let diff = try ReportDiff.compare(before, after)
        #expect(diff.outcome == .regression)
        let cell = try entry(diff)
        #expect(cell.change == .regression)
        #expect(cell.before == "pass (open ×2)" && cell.after == "fail (dns-failed)")
        #expect(
            cell.addresses
                == "no longer resolves (api.cls.licensing.nvidia.com does not exist in DNS); it resolved to 198.18.2.1, 198.18.2.2 before"
        )
        #expect(cell.checks.map(\.status) == [.new, .gone, .gone])
        // And back: resolving again is a fix, said as such.
        let back = try entry(try ReportDiff.compare(after, before))
        #expect(back.change == .fixed)
        #expect(back.addresses == "resolves again, to 198.18.2.1, 198.18.2.2; it did not resolve before")
    }

    @Test func aNameThatMovesToAddressesThatPassIsNoRegression() throws {
        let before = withCell([cellCheck(address: "198.18.2.1")])
        let after = withCell([cellCheck(address: "198.18.2.7")])
        let diff = try ReportDiff.compare(before, after)
        #expect(diff.outcome == .noRegression)
        let cell = try entry(diff)
        #expect(cell.change == .changed)
        #expect(cell.addresses == "now resolves to 198.18.2.7 instead of 198.18.2.1; the new one 198.18.2.7 passes")
        #expect(diff.markdown().contains("**No regression**"))
    }

    @Test func aNewAddressThatFailsIsARegression() throws {
        let two = [cellCheck(address: "198.51.100.1"), cellCheck(address: "198.51.100.2")]
        let before = withCell(two)
        let after = withCell(
            two + [cellCheck(address: "198.51.100.7", verdict: .fail, observed: .filtered, reason: "no answer")])
        let cell = try entry(try ReportDiff.compare(before, after))
        #expect(cell.change == .regression)
        #expect(
            cell.addresses == "now resolves to 3 addresses instead of 2; the new one 198.51.100.7 fails (filtered)")
        #expect(cell.reason == "198.51.100.7: no answer")
    }

    /// The probe host got another address in the same subnet: still the same cells.
    @Test func aNewProbeAddressIsTheSameCell() throws {
        let before = withCell([cellCheck(address: "198.18.2.1", source: "198.18.10.15")])
        let after = withCell([cellCheck(address: "198.18.2.1", source: "198.18.10.99")])
        let diff = try ReportDiff.compare(before, after)
        #expect(try entry(diff).change == .unchanged)
        #expect(try entry(diff).checks.first?.sourceAddress == "198.18.10.99")
    }

    @Test func aCellMeasuredBeforeAndSkippedAfterIsNotMeasured() throws {
        let skipped = cellCheck(
            address: nil, verdict: .skipped, observed: nil, source: nil,
            reason: "only source group 'admins' was selected (--source)")
        let diff = try ReportDiff.compare(fixedReport(), withCell([skipped]))
        #expect(diff.outcome == .inconclusive && diff.isInconclusive && !diff.hasRegression)
        let cell = try entry(diff)
        #expect(cell.change == .notMeasured)
        #expect(cell.after == "skipped")
        #expect(cell.reason == "not measured after the change: only source group 'admins' was selected (--source)")
        #expect(diff.markdown().contains("**INCONCLUSIVE**"))
        // The other way round: measured now, skipped before, passing: added; failing: a new failure.
        #expect(
            try entry(try ReportDiff.compare(withCell([skipped]), withCell([cellCheck(address: "198.18.2.1")])))
                .change == .added)
        #expect(try ReportDiff.compare(withCell([skipped]), fixedReport()).outcome == .regression)
    }

    @Test func anInconclusiveCellAfterIsInconclusive() throws {
        let before = withCell([cellCheck(address: "198.18.2.1")])
        let after = withCell([cellCheck(address: "198.18.2.1", verdict: .inconclusive, observed: .localError)])
        let diff = try ReportDiff.compare(before, after)
        #expect(try entry(diff).change == .inconclusive)
        #expect(diff.outcome == .inconclusive)
    }

    /// Subnets separate cells when both reports record them; a report without them (an earlier
    /// version) is compared by source group.
    @Test func subnetsAreMatchedWhenBothReportsHaveThem() throws {
        let a = cellCheck(address: "198.18.2.1", source: "198.18.10.15", subnet: "198.18.10.0/24")
        let b = cellCheck(address: "198.18.2.1", source: "198.18.11.15", subnet: "198.18.11.0/24")
        let before = withCell([a, b])
        let onlyA = withCell([a])
        let diff = try ReportDiff.compare(before, onlyA)
        #expect(diff.entries.map(\.id).contains("clients 198.18.10.0/24 -> cls api.cls.licensing.nvidia.com tls/443"))
        let lost = try entry(diff, "clients 198.18.11.0/24 -> cls api.cls.licensing.nvidia.com tls/443")
        #expect(lost.change == .notMeasured)
        var old = a
        old.source.subnet = nil
        let legacy = try ReportDiff.compare(withCell([old]), onlyA)
        #expect(try entry(legacy).change == .unchanged)
        // A skipped cell of the group (no address, so no subnet) stands for its measured subnets.
        let skipped = cellCheck(address: nil, verdict: .skipped, observed: nil, source: nil, reason: "no address")
        let stood = try ReportDiff.compare(before, withCell([a, skipped]))
        #expect(try entry(stood, lost.id).change == .notMeasured)
        #expect(try entry(stood, lost.id).reason == "not measured after the change: no address")
        #expect(!stood.entries.contains { $0.id == tlsCell })
    }

    @Test func differentProfilesNeedPermission() throws {
        let other = variant { $0.profile.name = "dls" }
        let error = CompareError.differentProfiles(
            ReportOrigin(file: "a.json", fixedReport()), ReportOrigin(file: "b.json", other))
        #expect(throws: error) { try ReportDiff.compare(fixedReport(), other, files: ("a.json", "b.json")) }
        #expect(
            error.description
                == "a.json (profile 'cls') and b.json (profile 'dls') come from different profiles; give reports of "
                + "one profile, or add --allow-profile-change to take them anyway")
        #expect(try ReportDiff.compare(fixedReport(), other, allowProfileChange: true).counts["unchanged"] == 4)
        let edited = variant { $0.profile.digest = "sha256:" + String(repeating: "0", count: 64) }
        #expect(throws: CompareError.self) { try ReportDiff.compare(fixedReport(), edited) }
        let message = CompareError.differentProfiles(
            ReportOrigin(file: "a.json", fixedReport()), ReportOrigin(file: "b.json", edited)
        ).description
        #expect(
            message.hasPrefix("a.json and b.json come from different versions of profile 'cls' (sha256:fde666db0da9…"))
        #expect(message.contains("--allow-profile-change"))
    }

    @Test func theJSONFormSaysEverything() throws {
        let diff = try ReportDiff.compare(
            withCell([cellCheck(address: "198.18.2.1")]), withCell([cellCheck(address: "198.18.2.7")]))
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(diff), as: UTF8.self)
        #expect(json.contains("\"outcome\":\"no-regression\""))
        #expect(json.contains("\"source_group\":\"clients\""))
        #expect(json.contains("\"addresses\":\"now resolves to 198.18.2.7 instead of 198.18.2.1"))
        #expect(json.contains("\"status\":\"new\""))
    }

    @Test func recordingSubnetsFromTheProfile() throws {
        let profile = Profile(
            name: "cls", title: "t",
            sources: [SourceGroup(name: "clients", subnets: [try #require(CIDR("198.18.10.0/24"))])],
            destinations: [], flows: [])
        let report = fixedReport().recordingSourceSubnets(of: profile)
        #expect(report.checks.map(\.source.subnet) == ["198.18.10.0/24", "198.18.10.0/24", "198.18.10.0/24", nil, nil])
        #expect(
            report.checks[0].cell.description == "clients 198.18.10.0/24 -> cls api.cls.licensing.nvidia.com tls/443")
        // Written, read back, and compared with a report that does not record subnets.
        let again = try JSONReport.decode(JSONReport.encode(report), path: "memory")
        #expect(again.checks[0].source.subnet == "198.18.10.0/24")
        #expect(try ReportDiff.compare(fixedReport(), again).outcome == .noRegression)
    }
}

@Suite struct MergeTests {
    @Test func cellsAreSkippedOnlyWhereNoHostRanThem() throws {
        // Host 1 ran clients and skipped admins; host 2 ran admins' check and skipped clients.
        let first = variant { $0.run.host = "probe-a" }
        let second = variant { report in
            report.run.host = "probe-b"
            for index in report.checks.indices {
                if report.checks[index].source.group == "clients" {
                    report.checks[index].verdict = .skipped
                    report.checks[index].observed = nil
                    report.checks[index].source.address = nil
                    report.checks[index].destination.address = nil
                    report.checks[index].id = report.checks[index].id.replacingOccurrences(
                        of: "198.18.10.15", with: "*")
                } else {
                    report.checks[index].verdict = .pass
                    report.checks[index].observed = .open
                }
            }
        }
        let merge = try ReportMerge.merging([first, second], files: ["a.json", "b.json"])
        let merged = merge.report
        #expect(merged.run.host == "probe-a, probe-b")
        #expect(!merged.checks.contains { $0.source.group == "clients" && $0.verdict == .skipped })
        #expect(merged.checks.filter { $0.source.group == "admins" }.map(\.verdict) == [.pass])
        #expect(merged.checks.filter { $0.source.group == "admins" }.first?.measuredBy == "probe-b")
        #expect(merged.checks.filter { $0.source.group == "clients" }.allSatisfy { $0.measuredBy == "probe-a" })
        #expect(merge.hosts.map(\.host) == ["probe-a", "probe-b"])
        #expect(merge.hosts[0].cells.count == 3 && merge.hosts[0].sources == ["clients"])
        #expect(merge.hosts[1].cells.map(\.description) == ["admins -> dls dls.example.test tls/443"])
        #expect(merge.hosts[1].files == ["b.json"])
        #expect(merge.warnings.isEmpty)
        let markdown = MarkdownReport.render(merged)
        #expect(markdown.contains("| Measured by |"))
        #expect(markdown.contains("| probe-b |"))
        #expect(throws: CompareError.nothingToMerge) { try ReportMerge.merge([first]) }
        #expect(throws: CompareError.self) { try ReportMerge.merge([first, variant { $0.profile.name = "dls" }]) }
    }

    /// Finding 4: the same report twice is merged once, with a warning naming both files.
    @Test func theSameRunTwiceIsMergedOnce() throws {
        let merge = try ReportMerge.merging([fixedReport(), fixedReport()], files: ["one.json", "copy.json"])
        #expect(merge.report.checks.count == fixedReport().checks.count)
        #expect(merge.report.summary.total == 5)
        #expect(
            merge.warnings.first
                == "copy.json is the same run as one.json (host probe-01, started 2026-11-29T10:00:00Z): merged once; give each host's report once"
        )
        #expect(merge.hosts.first?.files == ["one.json"])
        #expect(
            merge.warnings.last?.hasPrefix("1 cell was measured by no host (skipped in every report): admins") == true)
    }

    @Test func differentProfileVersionsAreRefusedUnlessAllowed() throws {
        let edited = variant { report in
            report.run.host = "probe-02"
            report.profile.digest = "sha256:" + String(repeating: "1", count: 64)
            report.flows.append(report.flows[0])
            report.flows[3].index = 3
            report.flows[3].ports = "8443"
            report.checks[0].flow.index = 3
            report.checks[0].flow.port = 8443
        }
        #expect(throws: CompareError.self) { try ReportMerge.merging([fixedReport(), edited], files: ["a", "b"]) }
        do {
            _ = try ReportMerge.merging([fixedReport(), edited], files: ["a.json", "b.json"])
        } catch {
            #expect(error.description.hasPrefix("a.json and b.json come from different versions of profile 'cls'"))
        }
        let merged = try ReportMerge.merging([fixedReport(), edited], allowProfileChange: true).report
        #expect(merged.flows.count == 4)
        #expect(merged.checks.contains { $0.flow.index == 3 && $0.flow.port == 8443 && $0.measuredBy == "probe-02" })
        for format in ReportFormat.allCases { _ = ReportRenderer.render(merged, as: format) }
    }

    @Test func hostsInOneSubnetMeasuringOneCellAreNamed() throws {
        let one = withCell([cellCheck(address: "198.18.2.1", subnet: "198.18.10.0/24")]) { $0.run.host = "probe-a" }
        let two = withCell([cellCheck(address: "198.18.2.1", source: "198.18.10.16", subnet: "198.18.10.0/24")]) {
            $0.run.host = "probe-b"
        }
        let merge = try ReportMerge.merging([one, two])
        #expect(
            merge.warnings.contains(
                "cell clients 198.18.10.0/24 -> cls api.cls.licensing.nvidia.com tls/443 was measured by probe-a and probe-b (hosts in the same subnet): every host's checks are kept"
            ))
        #expect(merge.hosts[0].sources == ["clients 198.18.10.0/24", "clients"])
    }
}
