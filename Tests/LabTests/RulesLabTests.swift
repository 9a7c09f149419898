import Foundation
import NLSProbeCore
import NLSReporting
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A client, a router whose nftables forward chain is the firewall, and a server, joined by veth
/// pairs in namespaces of this test's own (`nlsr-…`): client 198.18.40.10/24, router
/// 198.18.40.1 and 198.18.41.1, server 198.18.41.10 with plain TCP listeners. `down()` removes
/// everything, also after a failed test.
final class RulesLab {
    let tag = String(UUID().uuidString.prefix(6)).lowercased()
    var client: String { "nlsr-c-\(tag)" }
    var router: String { "nlsr-r-\(tag)" }
    var server: String { "nlsr-s-\(tag)" }
    let folder: URL
    private var listener: Process?

    init(firewall: String, listening ports: [Int]) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("nlsprobe-rules-\(tag)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        do {
            try up(firewall: firewall, ports: ports)
        } catch {
            down()
            throw error
        }
    }

    private func up(firewall: String, ports: [Int]) throws {
        for namespace in [client, router, server] {
            try run(["ip", "netns", "add", namespace])
            try run(["ip", "-n", namespace, "link", "set", "lo", "up"])
        }
        try run([
            "ip", "link", "add", "rc-\(tag)", "netns", client, "type", "veth", "peer", "name", "rr-\(tag)", "netns",
            router,
        ])
        try run([
            "ip", "link", "add", "rs-\(tag)", "netns", server, "type", "veth", "peer", "name", "rq-\(tag)", "netns",
            router,
        ])
        for (namespace, link, address) in [
            (client, "rc-\(tag)", "198.18.40.10/24"), (router, "rr-\(tag)", "198.18.40.1/24"),
            (router, "rq-\(tag)", "198.18.41.1/24"), (server, "rs-\(tag)", "198.18.41.10/24"),
        ] {
            try run(["ip", "-n", namespace, "addr", "add", address, "dev", link])
            try run(["ip", "-n", namespace, "link", "set", link, "up"])
        }
        try run(["ip", "-n", client, "route", "add", "default", "via", "198.18.40.1"])
        try run(["ip", "-n", server, "route", "add", "default", "via", "198.18.41.1"])
        try run(["ip", "netns", "exec", router, "sysctl", "-qw", "net.ipv4.ip_forward=1"])
        let rules = folder.appendingPathComponent("firewall.nft").path
        try firewall.write(toFile: rules, atomically: true, encoding: .utf8)
        try run(["ip", "netns", "exec", router, "nft", "-f", rules])
        let www = folder.appendingPathComponent("www")
        try FileManager.default.createDirectory(at: www, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments =
            [
                "ip", "netns", "exec", server, "python3",
                repositoryRoot.appendingPathComponent("scripts/lab-listener.py").path, www.path,
            ]
            + ports.map(String.init)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        listener = process
        let listening = Wait.until(timeout: 5, interval: 0.05) {
            let sockets = (try? run(["ip", "netns", "exec", server, "ss", "-Hltn"], allowFailure: true))?.output ?? ""
            return ports.allSatisfy { sockets.contains(":\($0) ") }
        }
        guard listening else { throw LabError(description: "the rules lab's listeners on \(ports) did not start") }
    }

    /// Runs nlsprobe in the client namespace; returns the JSON report's path.
    func probe(_ profile: String, _ name: String) throws -> String {
        let output = folder.appendingPathComponent(name).path
        let result = try run(
            [
                "ip", "netns", "exec", client, nlsprobeExecutable, "run", profile, "--output", output, "--format",
                "json",
                "--quiet", "--connect-timeout", "1s", "--attempts", "1", "--capture",
            ], allowFailure: true)
        let files = (try? FileManager.default.contentsOfDirectory(atPath: output)) ?? []
        guard let json = files.first(where: { $0.hasSuffix(".json") }) else {
            throw LabError(description: "\(name): no JSON report (exit \(result.status)): \(result.output)")
        }
        return output + "/" + json
    }

    func down() {
        if let listener { ChildProcess.stop(listener) }
        for namespace in [server, router, client] {
            _ = try? run(["ip", "netns", "pids", namespace], allowFailure: true).output.split(separator: "\n").forEach {
                if let pid = Int32($0) { kill(pid, SIGKILL) }
            }
            _ = try? run(["ip", "netns", "del", namespace], allowFailure: true)
        }
        try? FileManager.default.removeItem(at: folder)
    }

    deinit { down() }
}

/// The closed loop: a change-request table in, a run that fails where the firewall drops and
/// rejects (and is open where the table says block), `rules --format nft` applied to the router,
/// and a second run that passes every cell the rules cover with nothing else changed.
@Suite(.serialized, .enabled(if: LabPrivilege.canRun, LabPrivilege.skipReason))
struct RulesLabTests {
    static let firewall = """
        table inet rlab {
          chain forward {
            type filter hook forward priority 0; policy accept;
            ct state established,related accept
            tcp dport 8081 drop
            tcp dport 8082 reject with tcp reset
            tcp dport 8083 reject with icmpx type admin-prohibited
          }
        }
        """

    static let table = """
        Port,Protocol,Eg-/Ingress,Service,Source,Destination,Expect
        8443,TCP,Egress,License acquisition,Clients,License server,allow
        8081-8083,TCP,Egress,HA cluster management,Clients,License server,allow
        8084,TCP,Egress,License release,Clients,License server,allow
        8090,TCP,Egress,Retired web UI,Clients,License server,block

        Name,Subnets/hosts
        Clients,198.18.40.0/24
        License server,198.18.41.10

        """

    @Test func rulesAppliedToTheFirewallFixExactlyTheCellsTheyCover() throws {
        // 8084 has no listener: the server itself refuses, which no rule fixes.
        let lab = try RulesLab(firewall: Self.firewall, listening: [8443, 8081, 8082, 8083, 8090])
        defer { lab.down() }
        let tableFile = lab.folder.appendingPathComponent("change-request.csv").path
        try Self.table.write(toFile: tableFile, atomically: true, encoding: .utf8)
        let profile = lab.folder.appendingPathComponent("change-request.yaml").path
        try run([nlsprobeExecutable, "profile", "from-table", tableFile, "--output", profile])
        try run([nlsprobeExecutable, "validate", profile])

        let before = try lab.probe(profile, "before")
        let first = try JSONReport.read(path: before)
        let observed = Dictionary(first.checks.map { ($0.flow.port, $0.observed?.rawValue ?? "skipped") }) { a, _ in a }
        #expect(
            observed == [
                8443: "open", 8081: "filtered", 8082: "refused", 8083: "unreachable", 8084: "refused", 8090: "open",
            ])

        let json = try run([nlsprobeExecutable, "rules", before, "--format", "json"]).output
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let rules = try decoder.decode(RulesView.self, from: Data(json.utf8))
        #expect(
            rules.rules.map { "\($0.action) \($0.source) \($0.destinations) \($0.ports.map(\.text))" } == [
                "allow 198.18.40.0/24 [\"198.18.41.10\"] [\"8081-8083\"]",
                "deny 198.18.40.0/24 [\"198.18.41.10\"] [\"8090\"]",
            ])
        #expect(rules.rules[0].unconfirmed.isEmpty)
        #expect(rules.unfixable.map(\.kind) == ["service-down"])

        let nftFile = lab.folder.appendingPathComponent("rules.nft").path
        try run([
            nlsprobeExecutable, "rules", before, "--format", "nft", "--nft-table", "inet rlab", "--nft-chain",
            "forward",
            "--output", nftFile,
        ])
        try run(["ip", "netns", "exec", lab.router, "nft", "-f", nftFile])

        let after = try lab.probe(profile, "after")
        let diff = try run([nlsprobeExecutable, "diff", before, after, "--format", "json"], allowFailure: true)
        let changes = try decoder.decode(DiffView.self, from: Data(diff.output.utf8))
        let byPort = Dictionary(changes.entries.map { ($0.cell.port, $0.change) }) { a, _ in a }
        #expect(
            byPort == [
                8443: "unchanged", 8081: "fixed", 8082: "fixed", 8083: "fixed", 8084: "unchanged", 8090: "fixed",
            ])
        #expect(diff.status == 0)
        let second = try JSONReport.read(path: after)
        #expect(second.checks.filter { $0.verdict != .pass }.map(\.flow.port) == [8084])
    }

    /// The parts of `rules --format json` the test reads.
    struct RulesView: Decodable {
        struct Rule: Decodable {
            struct Ports: Decodable {
                var from: Int
                var to: Int
                var text: String { from == to ? "\(from)" : "\(from)-\(to)" }
            }
            var action: String
            var source: String
            var destinations: [String]
            var ports: [Ports]
            var unconfirmed: [String]
        }
        struct Apart: Decodable { var kind: String }
        var rules: [Rule]
        var unfixable: [Apart]
    }

    /// The parts of `diff --format json` the test reads.
    struct DiffView: Decodable {
        struct Entry: Decodable {
            struct Cell: Decodable { var port: Int }
            var cell: Cell
            var change: String
        }
        var entries: [Entry]
    }
}

/// `profile from-table` and `rules` as a user runs them (no root needed).
@Suite struct RulesCommandLineTests {
    @Test func usageErrorsAndBrokenTablesExit64WithTheirMessages() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "nlsprobe-rules-cli-\(UUID().uuidString.prefix(6))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let table = folder.appendingPathComponent("t.csv").path
        try "Port,Protocol,Eg-/Ingress,Service,Source,Destination\n44x3,TCP,Egres,x,10.1.0.0/16,lic.example.com\n"
            .write(toFile: table, atomically: true, encoding: .utf8)
        let broken = try run([nlsprobeExecutable, "profile", "from-table", table], allowFailure: true)
        #expect(broken.status == 64)
        #expect(broken.output.contains("\(table):2:1: '44x3' is not a port"))
        #expect(broken.output.contains("\(table):2:10: 'Egres' is not a direction (did you mean Egress?)"))
        let report = repositoryRoot.appendingPathComponent("Reports/examples/lab-cls.json").path
        let noTable = try run([nlsprobeExecutable, "rules", report, "--format", "nft"], allowFailure: true)
        #expect(noTable.status == 64)
        #expect(noTable.output.contains("--format nft needs --nft-table"))
        let badFamily = try run(
            [nlsprobeExecutable, "rules", report, "--format", "nft", "--nft-table", "bridge x", "--nft-chain", "f"],
            allowFailure: true)
        #expect(badFamily.status == 64)
        let csv = try run([nlsprobeExecutable, "rules", report, "--format", "csv"])
        #expect(csv.output.hasPrefix("\"Rule\",\"Action\",\"Source\""))
    }
}
