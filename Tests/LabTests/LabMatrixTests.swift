import Foundation
import NLSProbeCore
import NLSReporting
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The lab of scripts/lab.sh under a prefix of the test's own, removed whatever happens.
final class ScriptLab {
    let prefix: String
    let state: URL
    var environment: [String: String] { ["NLSPROBE_LAB_PREFIX": prefix, "NLSPROBE_LAB_STATE": state.path] }

    /// `prefix` plus this process's id: a lab of its own, even next to another test run.
    init(prefix: String) {
        self.prefix = prefix + String(getpid() % 100_000)
        state = FileManager.default.temporaryDirectory.appendingPathComponent(
            "nlsprobe-lab-\(prefix)-\(UUID().uuidString)")
    }

    @discardableResult
    func script(_ command: String, allowFailure: Bool = false) throws -> (status: Int32, output: String) {
        let assignments = environment.map { "\($0.key)=\($0.value)" }
        return try run(
            ["env"] + assignments + [repositoryRoot.appendingPathComponent("scripts/lab.sh").path, command],
            allowFailure: allowFailure)
    }

    /// Namespaces of this prefix that exist now.
    func namespaces() throws -> [String] {
        try run(["ip", "netns", "list"]).output.split(separator: "\n").map { String($0.split(separator: " ")[0]) }
            .filter { $0.hasPrefix(prefix + "-") }
    }

    /// Runs a lab profile (its CA path pointed at this lab's CA) inside a lab namespace.
    func probe(_ profile: String, from namespace: String, arguments: [String] = []) throws -> (
        status: Int32, report: Report
    ) {
        let text = try String(
            contentsOf: repositoryRoot.appendingPathComponent("Profiles/lab/\(profile)"), encoding: .utf8
        ).replacingOccurrences(of: "../../.lab/ca.pem", with: state.appendingPathComponent("ca.pem").path)
        let work = state.appendingPathComponent("runs/\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        let path = work.appendingPathComponent(profile).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let result = try run(
            [
                "ip", "netns", "exec", "\(prefix)-\(namespace)", nlsprobeExecutable, "run", path, "--output", work.path,
                "--format", "json", "--quiet",
            ] + arguments, allowFailure: true)
        let json = try #require(
            try FileManager.default.contentsOfDirectory(atPath: work.path).first { $0.hasSuffix(".json") },
            "no report: \(result.output)")
        return (result.status, try JSONReport.read(path: work.appendingPathComponent(json).path))
    }

    func down() { _ = try? script("down", allowFailure: true) }

    deinit { down() }
}

/// The whole lab matrix through the nlsprobe executable, cell by cell against the ground truth
/// (Profiles/lab/ground-truth.json), with `--trace`: each failed cell also says where it stops.
@Suite(.serialized, .enabled(if: LabPrivilege.canRun, LabPrivilege.skipReason))
struct LabMatrixTests {
    @Test func matrixMatchesTheGroundTruth() throws {
        let lab = ScriptLab(prefix: "nlspt")
        defer { lab.down() }
        try lab.script("up")

        let truth = try LabPathTruth.load()
        for run in truth.runs {
            let (status, report) = try lab.probe(run.profile, from: run.from, arguments: ["--trace"])
            let observed = Dictionary(
                uniqueKeysWithValues: report.checks.map { ($0.id, $0.observed?.rawValue ?? "skipped") })
            #expect(observed == run.checks, "\(run.profile) from \(run.from)")
            for check in report.checks {
                let expected = check.observed.map { Verdict.judge(expect: check.expect, observed: $0) } ?? .skipped
                #expect(check.verdict == expected, "\(check.id)")
                if let address = check.source.address {
                    // Each subnet's checks leave from that subnet's address.
                    #expect(check.evidence.localAddress == nil || check.evidence.localAddress == address, "\(check.id)")
                }
            }
            let verdict = report.summary.verdict
            #expect(status == (verdict == .pass ? 0 : verdict == .fail ? 1 : 2))
            // Where each filtered, unreachable, refused and dns-failed cell stops (root: CAP_NET_RAW).
            truth.expectWhere(report, run: run, privileged: LabPrivilege.isRoot)
        }

        // One rule changed on the firewall: exactly that cell changes.
        let before = try lab.probe("cls.yaml", from: "client").report
        try run([
            "ip", "netns", "exec", "\(lab.prefix)-router", "nft", "delete element ip lab drop_a { 198.18.20.11 . 443 }",
        ])
        let after = try lab.probe("cls.yaml", from: "client").report
        let changed = zip(before.checks, after.checks).filter { $0.observed != $1.observed }
        #expect(changed.count == 1)
        #expect(
            changed.first?.0.id == "clients-a 198.18.10.10 -> cls api.cls.licensing.nvidia.com 198.18.20.11 tls/443")
        #expect(changed.first?.0.observed == .filtered && changed.first?.1.observed == .open)
    }

    @Test func sourceAndBindOverridesEndToEnd() throws {
        let lab = ScriptLab(prefix: "nlspo")
        defer { lab.down() }
        try lab.script("up")
        func ran(_ report: Report) -> Set<String> {
            Set(report.checks.filter { $0.verdict != .skipped }.map(\.source.group))
        }
        let source = try lab.probe("dls.yaml", from: "client", arguments: ["--source", "clients-b"]).report
        #expect(ran(source) == ["clients-b"])
        #expect(
            source.checks.filter { $0.source.group == "clients-b" }.allSatisfy { $0.source.address == "198.18.11.10" })
        let bound = try lab.probe("dls.yaml", from: "client", arguments: ["--bind", "198.18.10.10"]).report
        #expect(ran(bound) == ["clients-a"])
        #expect(
            bound.checks.filter { $0.source.group == "clients-b" }.allSatisfy {
                $0.reason.contains("--bind 198.18.10.10 is outside this group's subnets")
            })
        // --source with --bind: this host speaks for clients-b from clients-b's address.
        let both = try lab.probe(
            "dls.yaml", from: "client", arguments: ["--source", "clients-b", "--bind", "198.18.11.10"]
        )
        .report
        #expect(
            both.checks.filter { $0.verdict != .skipped }.allSatisfy {
                $0.evidence.localAddress.map { $0 == "198.18.11.10" } ?? true
            })
    }

    @Test func labComesUpAndGoesDownCleanly() throws {
        let lab = ScriptLab(prefix: "nlspu")
        defer { lab.down() }
        for _ in 0..<2 {
            try lab.script("up")
            #expect(try lab.namespaces().count == 5)
            #expect(try lab.script("status").output.contains("\(lab.prefix)-cls: 198.18.20.10/24 198.18.20.11/24"))
            try lab.script("down")
            #expect(try lab.namespaces().isEmpty)
            #expect(!FileManager.default.fileExists(atPath: "/etc/netns/\(lab.prefix)-client"))
        }
        // A setup killed half-way (no chance to clean up) is swept away by the next `up`.
        let killed = Process()
        killed.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        killed.arguments =
            lab.environment.map { "\($0.key)=\($0.value)" } + [
                repositoryRoot.appendingPathComponent("scripts/lab.sh").path, "up",
            ]
        killed.standardOutput = FileHandle.nullDevice
        killed.standardError = FileHandle.nullDevice
        try killed.run()
        // Killed half-way: once its first namespace exists, before it has finished.
        #expect(Wait.until(timeout: 30, interval: 0.02) { (try? lab.namespaces().isEmpty) == false })
        kill(killed.processIdentifier, SIGKILL)
        #expect(ChildProcess.waitForExit(killed, timeout: 5) != nil)
        try lab.script("up")
        #expect(try lab.namespaces().count == 5)
        // A run killed inside the lab leaves the lab as it was.
        let killedOutput = lab.state.appendingPathComponent("killed-run").path
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        probe.arguments = [
            "ip", "netns", "exec", "\(lab.prefix)-client", nlsprobeExecutable, "run", "--output", killedOutput,
            repositoryRoot.appendingPathComponent("Profiles/lab/dls.yaml").path,
        ]
        probe.standardOutput = FileHandle.nullDevice
        probe.standardError = FileHandle.nullDevice
        try probe.run()
        // Killed mid-run: once it has claimed its report's name, which it does as its checks start.
        #expect(
            Wait.until(timeout: 20, interval: 0.01) {
                let entries = (try? FileManager.default.contentsOfDirectory(atPath: killedOutput)) ?? []
                return !entries.isEmpty || !probe.isRunning
            })
        kill(probe.processIdentifier, SIGKILL)
        _ = ChildProcess.waitForExit(probe, timeout: 5)
        try lab.script("down")
        #expect(try lab.namespaces().isEmpty)
        #expect(try lab.script("status", allowFailure: true).status != 0)
    }

    /// `run --token` against the lab's DLS nodes, and the client's own gridd.conf pointing at the token.
    @Test func tokenDestinationsAgainstTheLab() throws {
        let lab = ScriptLab(prefix: "nlspk")
        defer { lab.down() }
        try lab.script("up")
        let factory = try TokenFactory()
        let payload = TokenFactory.payload(
            nodes: [("dls-a.lab.test", 0), ("dls-b.lab.test", 0)], sets: [(0, "DLS", [("auth", 443), ("lease", 8082)])])
        let tokens = lab.state.appendingPathComponent("ClientConfigToken")
        try FileManager.default.createDirectory(at: tokens, withIntermediateDirectories: true)
        let tokenPath = tokens.appendingPathComponent("client_configuration_token_lab.tok").path
        try factory.token(payload).write(toFile: tokenPath, atomically: true, encoding: .utf8)
        let ca = lab.state.appendingPathComponent("ca.pem").path

        func matrix(_ arguments: [String]) throws -> [String: Observed] {
            let output = lab.state.appendingPathComponent("token-\(UUID().uuidString.prefix(6))").path
            _ = try run(
                [
                    "ip", "netns", "exec", "\(lab.prefix)-client", nlsprobeExecutable, "run", "--output", output,
                    "--format",
                    "json",
                    "--ca-file", ca,
                ] + arguments, allowFailure: true)
            let json = try #require(
                try FileManager.default.contentsOfDirectory(atPath: output).first { $0.hasSuffix(".json") })
            let report = try JSONReport.read(path: output + "/" + json)
            return Dictionary(
                uniqueKeysWithValues: report.checks.map {
                    ("\($0.destination.host) \($0.flow.protocol.rawValue)/\($0.flow.port)", $0.observed ?? .localError)
                })
        }
        // The client's subnet is clients-a (198.18.10.10): the router resets 8082 to node a only.
        let expected: [String: Observed] = [
            "dls-a.lab.test tls/443": .open, "dls-b.lab.test tls/443": .open,
            "dls-a.lab.test tls/8082": .refused, "dls-b.lab.test tls/8082": .open,
            "dls-a.lab.test tcp/80": .open, "dls-b.lab.test tcp/80": .open,
        ]
        #expect(try matrix(["--token", tokenPath]) == expected)
        // gridd.conf: ClientConfigTokenPath names the folder; the newest .tok in it is the client's token.
        let gridd = lab.state.appendingPathComponent("gridd.conf").path
        try "FeatureType=1\nClientConfigTokenPath=\(tokens.path)\n".write(
            toFile: gridd, atomically: true, encoding: .utf8)
        #expect(try matrix(["--gridd-conf", gridd]) == expected)
    }
}
