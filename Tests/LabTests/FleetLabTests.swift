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

    /// The merged reports in the reports folder, oldest first.
    func mergedReports() throws -> [String] {
        let folder = state.appendingPathComponent("reports").path
        return try FileManager.default.contentsOfDirectory(atPath: folder)
            .filter { $0.hasPrefix("lab-fleet-merged-") && $0.hasSuffix(".json") }.sorted()
            .map { folder + "/" + $0 }
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
    let cells: [String: Cell]

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

        // probe-b goes down: its groups are not measured, the others still merge.
        try lab.script(["stop-host", "probe-b"])
        let second = try lab.script(
            ["playbook", "-e", "nlsprobe_fail_on_findings=false"], allowFailure: true, timeout: 400)
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

/// The playbook as the linters and Debian's ansible-core see it (no root needed).
@Suite struct FleetPlaybookTests {
    var playbook: String { repositoryRoot.appendingPathComponent("deploy/ansible/nlsprobe.yml").path }
    var inventory: String { repositoryRoot.appendingPathComponent("deploy/ansible/inventory.example.ini").path }

    @Test func ansibleLintPassesWithTheProductionProfile() throws {
        let lint = repositoryRoot.appendingPathComponent(".venv-tools/bin/ansible-lint").path
        guard FileManager.default.isExecutableFile(atPath: lint) else {
            #expect(!LabPrivilege.inCI, "ansible-lint is missing: scripts/test.sh installs it into .venv-tools")
            return
        }
        let result = try ChildProcess.run(
            [
                "env", "PATH=\(repositoryRoot.appendingPathComponent(".venv-tools/bin").path):/usr/bin:/bin",
                "HOME=\(FileManager.default.temporaryDirectory.path)", "sh", "-c",
                "cd \(repositoryRoot.appendingPathComponent("deploy/ansible").path) && ansible-lint --offline --nocolor --profile production nlsprobe.yml",
            ], allowFailure: true, timeout: 300)
        #expect(result.status == 0, "\(result.output)")
    }

    /// A host whose nlsprobe is another version, and one where it cannot run at all (a missing
    /// library): the real playbook, on hosts reached with Ansible's local connection, checks each
    /// host's copy with `--version` before the run and the merge names both, with the reason.
    @Test func versionSkewAndABinaryThatCannotRunAreNamed() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/ansible-playbook") else {
            #expect(!LabPrivilege.inCI, "ansible-playbook is missing: scripts/test.sh installs ansible-core")
            return
        }
        let folder = try TemporaryFolder()
        let skew = folder.url.appendingPathComponent("nlsprobe-skew").path
        // The controller's copy answers as the real binary; the copy on the host says 0.0.9.
        try """
        #!/bin/sh
        if [ "$0" != "\(skew)" ] && [ "$1" = "--version" ]; then echo 0.0.9; exit 0; fi
        exec \(nlsprobeExecutable) "$@"
        """.write(toFile: skew, atomically: true, encoding: .utf8)
        let broken = try folder.write(
            """
            #!/bin/sh
            echo "nlsprobe: error while loading shared libraries: libcurl.so.4: cannot open shared object file" >&2
            exit 127
            """, "nlsprobe-broken")
        chmod(skew, 0o755)
        chmod(broken, 0o755)
        let inventory = try folder.write(
            """
            localhost ansible_connection=local nlsprobe_binary=\(nlsprobeExecutable)

            [nlsprobe]
            probe-ok ansible_connection=local nlsprobe_binary=\(nlsprobeExecutable) nlsprobe_sources=local
            probe-skew ansible_connection=local nlsprobe_binary=\(skew) nlsprobe_sources=local
            probe-broken ansible_connection=local nlsprobe_binary=\(broken) nlsprobe_sources=local
            """, "inventory.ini")
        // One refused port on loopback, expected closed: nothing leaves this host.
        let profile = try folder.write(
            """
            profile: skew
            title: version skew in a fleet
            sources:
              local: {}
            destinations:
              here:
                hosts: [127.0.0.1]
            flows:
              - {port: \(freePort()), protocol: tcp, direction: egress, from: local, to: here, expect: block}
            defaults:
              connect_timeout: 1s
            """, "skew.yaml")
        let reports = folder.url.appendingPathComponent("fleet-reports").path
        let ansible = folder.url.appendingPathComponent("ansible").path
        let play = try ChildProcess.run(
            [
                "env", "ANSIBLE_HOME=\(ansible)", "ANSIBLE_LOCAL_TEMP=\(ansible)/tmp",
                "ANSIBLE_RETRY_FILES_ENABLED=false",
                "ANSIBLE_NOCOLOR=1", "ANSIBLE_PYTHON_INTERPRETER=/usr/bin/python3", "ansible-playbook", "-i", inventory,
                playbook, "-e", "nlsprobe_profile=\(profile)", "-e", "nlsprobe_reports=\(reports)", "-e",
                "nlsprobe_install_packages=false",
            ], allowFailure: true, timeout: 300)
        #expect(play.status == 0, "\(play.output)")
        #expect(play.output.contains("PASS: 1 checks, 1 passed") && play.output.contains("3 probe hosts, 1 reported"))
        let merged = try #require(
            try FileManager.default.contentsOfDirectory(atPath: reports).first {
                $0.contains("-merged-") && $0.hasSuffix(".json")
            })
        let hosts = try #require(try JSONReport.read(path: reports + "/" + merged).probeHosts)
        let version = try ChildProcess.run([nlsprobeExecutable, "--version"]).output
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let byName = Dictionary(uniqueKeysWithValues: hosts.map { ($0.name, $0) })
        #expect(byName["probe-ok"]?.status == .reported)
        #expect(byName["probe-skew"]?.status == .notReported)
        #expect(
            byName["probe-skew"]?.problem == "version skew: the host runs 0.0.9, the controller \(version)",
            "\(byName["probe-skew"]?.problem ?? "no problem")")
        #expect(byName["probe-broken"]?.status == .notReported)
        #expect(
            byName["probe-broken"]?.problem?.hasPrefix("nlsprobe cannot run here (exit 127): ") == true
                && byName["probe-broken"]?.problem?.contains("libcurl.so.4") == true,
            "\(byName["probe-broken"]?.problem ?? "no problem")")
    }

    @Test func debiansAnsibleCoreTakesThePlaybookAndTheExampleInventory() throws {
        let check = try ChildProcess.run(
            ["ansible-playbook", "-i", inventory, "--syntax-check", playbook], allowFailure: true)
        #expect(check.status == 0, "\(check.output)")
        let graph = try ChildProcess.run(
            ["ansible-inventory", "-i", inventory, "--graph", "nlsprobe"], allowFailure: true)
        #expect(graph.status == 0 && graph.output.contains("vdi-probe-01") && graph.output.contains("branch-lyon"))
    }
}
