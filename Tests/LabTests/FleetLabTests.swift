import Foundation
import NLSProbeCore
import NLSReporting
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The fleet lab of scripts/fleet-lab.sh under a prefix of the test's own, removed whatever happens.
final class FleetLab {
    let prefix: String
    let state: URL

    init() {
        prefix = "nlsf" + String(getpid() % 100_000)
        state = FileManager.default.temporaryDirectory.appendingPathComponent("nlsprobe-fleet-\(UUID().uuidString)")
    }

    /// Runs scripts/fleet-lab.sh COMMAND with the lab's prefix and state, the debug build as the binary.
    @discardableResult
    func script(_ arguments: [String], allowFailure: Bool = false, timeout: Double = 120) throws -> (
        status: Int32, output: String
    ) {
        let result = try ChildProcess.run(
            [
                "env", "NLSPROBE_FLEET_PREFIX=\(prefix)", "NLSPROBE_FLEET_STATE=\(state.path)",
                "NLSPROBE_BINARY=\(nlsprobeExecutable)",
                repositoryRoot.appendingPathComponent("scripts/fleet-lab.sh").path,
            ] + arguments, allowFailure: allowFailure, timeout: timeout)
        return (result.status, result.output)
    }

    /// The merged reports of `profile` in the reports folder, oldest first.
    func mergedReports(of profile: String = "lab-fleet") throws -> [String] {
        let folder = state.appendingPathComponent("reports").path
        return try FileManager.default.contentsOfDirectory(atPath: folder)
            .filter { $0.hasPrefix("\(profile)-merged-") && $0.hasSuffix(".json") }.sorted()
            .map { folder + "/" + $0 }
    }

    /// The lines of the play's output for one task, from its header to the next one.
    static func taskLines(_ output: String, _ task: String) -> [String] {
        let lines = output.split(separator: "\n").map(String.init)
        guard let start = lines.firstIndex(where: { $0.hasPrefix("TASK [\(task)]") }) else { return [] }
        let rest = lines[(start + 1)...]
        let end = rest.firstIndex { $0.hasPrefix("TASK [") || $0.hasPrefix("PLAY ") } ?? lines.endIndex
        return Array(lines[(start + 1)..<end])
    }

    func down() { _ = try? script(["down"], allowFailure: true) }

    deinit { down() }
}

/// What the merged fleet report must show, cell by cell (Profiles/lab/fleet/ground-truth.json).
struct FleetGroundTruth: Decodable {
    struct Cell: Decodable {
        let observed: String
        let verdict: String
        let host: String
    }
    /// The same fleet with nlsprobe_client_config: the token's profile, and each host's cells.
    struct ClientConfig: Decodable {
        struct Cell: Decodable {
            let observed: String
            let verdict: String
        }
        let profile: String
        let reference: String
        let hosts: [String: [String: Cell]]
    }
    let cells: [String: Cell]
    let clientConfig: ClientConfig

    enum CodingKeys: String, CodingKey {
        case cells
        case clientConfig = "client_config"
    }

    static func load() throws -> FleetGroundTruth {
        let data = try Data(
            contentsOf: repositoryRoot.appendingPathComponent("Profiles/lab/fleet/ground-truth.json"))
        return try JSONDecoder().decode(FleetGroundTruth.self, from: data)
    }
}

/// A fleet run with Ansible: three probe hosts in three client subnets, each with its own sshd,
/// the real ansible-playbook on the controller, the merged matrix against the lab's ground truth;
/// then one host down.
@Suite(.serialized, .enabled(if: LabPrivilege.canRun, LabPrivilege.skipReason))
struct FleetLabTests {
    @Test func fleetRunMergesEverySubnetAndNamesASilentHost() throws {
        let lab = FleetLab()
        defer { lab.down() }
        let tempFolders = { () -> Set<String> in
            Set(
                ((try? FileManager.default.contentsOfDirectory(atPath: "/tmp")) ?? []).filter {
                    $0.hasPrefix("nlsprobe.")
                })
        }
        let foldersBefore = tempFolders()
        try lab.script(["up"])
        let truth = try FleetGroundTruth.load()
        let version = try run([nlsprobeExecutable, "--version"]).output.trimmingCharacters(in: .whitespacesAndNewlines)

        // The whole fleet: the lab has findings, so the play fails on them (nlsprobe_fail_on_findings).
        let first = try lab.script(["playbook"], allowFailure: true, timeout: 400)
        #expect(first.status == 2, "\(first.output)")
        #expect(
            first.output.contains(
                "FAIL: 9 checks, 5 passed, 4 failed, 0 inconclusive, 0 skipped; 3 probe hosts, 3 reported"))
        #expect(first.output.contains("lab-fleet-merged-") && first.output.contains(".md"))
        let merged = try #require(try lab.mergedReports().last)
        let report = try JSONReport.read(path: merged)
        var seen: Set<String> = []
        for check in report.checks {
            let cell = check.cell.description
            let expected = try #require(truth.cells[cell], "a cell the ground truth does not have: \(cell)")
            #expect(check.observed?.rawValue == expected.observed, "\(cell)")
            #expect(check.verdict.rawValue == expected.verdict, "\(cell)")
            #expect(check.measuredBy == expected.host, "\(cell)")
            seen.insert(cell)
        }
        #expect(seen == Set(truth.cells.keys))
        let hosts = try #require(report.probeHosts)
        #expect(hosts.map(\.name) == ["probe-a", "probe-b", "probe-c"])
        #expect(hosts.map(\.address) == ["198.18.30.10", "198.18.31.10", "198.18.32.10"])
        #expect(hosts.map(\.hostname) == ["probe-a.fleet.test", "probe-b.fleet.test", "probe-c.fleet.test"])
        #expect(hosts.allSatisfy { $0.status == .reported && $0.problem == nil && $0.started != nil })
        #expect(hosts.allSatisfy { "nlsprobe \($0.toolVersion ?? "")" == version || $0.toolVersion == version })
        #expect(Set(hosts.compactMap(\.profileDigest)) == [report.profile.digest])
        for host in ["probe-a", "probe-b", "probe-c"] {
            // Every report file was fetched into the host's own folder; nothing left on the host.
            let files = try FileManager.default.contentsOfDirectory(
                atPath: lab.state.appendingPathComponent("reports/\(host)").path)
            for suffix in [".json", ".md", ".junit.xml"] {
                #expect(files.contains { $0.hasSuffix(suffix) }, "\(host): \(files)")
            }
        }
        let leftovers = tempFolders().subtracting(foldersBefore)
        #expect(leftovers.isEmpty, "temp folders left on the hosts: \(leftovers)")
        let markdown = try String(
            contentsOfFile: merged.replacingOccurrences(of: ".json", with: ".md"), encoding: .utf8)
        #expect(markdown.contains("| ml (198.18.31.10) on probe-b | ✅ pass | ❌ FAIL | ✅ pass |"))
        // The install step ran for real: every host has the packages, so nothing was installed
        // and no package list was refreshed (the hosts have no mirror).
        let probes = ["probe-a", "probe-b", "probe-c"]
        let query = FleetLab.taskLines(first.output, "nlsprobe : Find the packages that are not installed (dpkg)")
        let install = FleetLab.taskLines(first.output, "nlsprobe : Install the missing packages (apt)")
        for host in probes {
            #expect(query.contains("ok: [\(host)]"), "\(query)")
            #expect(install.contains("skipping: [\(host)]"), "\(install)")
        }

        // The same fleet as licensed clients (nlsprobe_client_config): each host runs with its own
        // gridd.conf (nlsprobe_gridd_conf in the lab's inventory) and the token it names. The install
        // step was tested above; only the JSON is read here; the lab's timeouts (those of fleet.yaml)
        // instead of the token profile's 3 s, two attempts and a trace for each filtered cell.
        let clients = try lab.script(
            [
                "playbook", "-e", "nlsprobe_client_config=true", "-e", "nlsprobe_install_packages=false", "-e",
                "nlsprobe_fail_on_findings=false", "-e", "nlsprobe_formats=json", "-e",
                #"{"nlsprobe_args": ["--ca-file", "fleet-ca.pem", "--connect-timeout", "1s", "--attempts", "1", "--no-trace"]}"#,
            ], allowFailure: true, timeout: 400)
        #expect(clients.status == 0, "\(clients.output)")
        #expect(
            clients.output.contains(
                "FAIL: 18 checks, 8 passed, 10 failed, 0 inconclusive, 0 skipped; 3 probe hosts, 3 reported"),
            "\(clients.output)")
        let tokenTruth = truth.clientConfig
        let tokenReport = try JSONReport.read(path: try #require(try lab.mergedReports(of: tokenTruth.profile).last))
        // The targets came from the token: its profile, whose digest is that of the profile
        // `nlsprobe profile from-token` makes of the same token file, on every host.
        let token = repositoryRoot.appendingPathComponent("Profiles/lab/client_configuration_token_lab.tok").path
        let fromToken = try run([nlsprobeExecutable, "profile", "from-token", token]).output
        #expect(tokenReport.profile.name == tokenTruth.profile && tokenReport.profile.reference == tokenTruth.reference)
        #expect(tokenReport.profile.digest == "sha256:" + SHA256.hex(Array(fromToken.utf8)))
        let tokenHosts = try #require(tokenReport.probeHosts)
        #expect(tokenHosts.map(\.name) == probes)
        #expect(tokenHosts.allSatisfy { $0.status == .reported && $0.profileDigest == tokenReport.profile.digest })
        #expect(tokenHosts.allSatisfy { $0.sources == ["clients"] }, "\(tokenHosts.map(\.sources))")
        var measured: Set<String> = []
        for check in tokenReport.checks {
            let host = try #require(check.measuredBy, "\(check.cell)")
            let expected = try #require(
                tokenTruth.hosts[host]?[check.cell.description], "not in the ground truth: \(host) \(check.cell)")
            #expect(check.observed?.rawValue == expected.observed, "\(host) \(check.cell)")
            #expect(check.verdict.rawValue == expected.verdict, "\(host) \(check.cell)")
            measured.insert("\(host) \(check.cell)")
        }
        #expect(measured.count == tokenTruth.hosts.values.map(\.count).reduce(0, +))

        // probe-b goes down: its groups are not measured, the others still merge (the JSON and the
        // Markdown are read; the install step was tested above).
        try lab.script(["stop-host", "probe-b"])
        let second = try lab.script(
            [
                "playbook", "-e", "nlsprobe_fail_on_findings=false", "-e", "nlsprobe_install_packages=false", "-e",
                "nlsprobe_formats=json,md",
            ], allowFailure: true, timeout: 400)
        #expect(second.status == 0, "\(second.output)")
        #expect(second.output.contains("(3 not measured), 0 skipped; 3 probe hosts, 2 reported"))
        let after = try JSONReport.read(path: try #require(try lab.mergedReports().last))
        #expect(after.summary.verdict == .fail)
        for check in after.checks {
            let cell = check.cell.withoutSubnet.description
            if check.source.group == "ml" {
                #expect(check.notMeasured == true && check.verdict == .inconclusive && check.observed == nil, "\(cell)")
                #expect(check.reason.hasPrefix("not measured: source group 'ml' is measured by 'probe-b' (unreachable"))
            } else {
                let expected = try #require(truth.cells[check.cell.description], "\(cell)")
                #expect(check.observed?.rawValue == expected.observed && check.measuredBy == expected.host, "\(cell)")
            }
        }
        let silent = try #require(after.probeHosts?.first { $0.name == "probe-b" })
        #expect(silent.status == .notReported && silent.sources == ["ml"])
        #expect(silent.problem?.hasPrefix("unreachable:") == true, "\(silent.problem ?? "")")
        let afterMarkdown = try String(
            contentsOfFile: try #require(try lab.mergedReports().last).replacingOccurrences(of: ".json", with: ".md"),
            encoding: .utf8)
        #expect(afterMarkdown.contains("| ml | ⛔ not measured | ⛔ not measured | ⛔ not measured |"))
        #expect(afterMarkdown.contains("## Not measured"))
    }
}
