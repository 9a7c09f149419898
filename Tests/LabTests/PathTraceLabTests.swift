import Foundation
import NLSProbeCore
import NLSReporting
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `trace: on-failure` in the lab of scripts/trace-lab.sh (client → r1 → r2 → servers, r2's rules
/// for one subnet): each failed check names the hop that stops it, as Profiles/lab/trace-topology.json
/// says, as root and without CAP_NET_RAW; a name that does not resolve names its resolver.
@Suite(.serialized, .enabled(if: LabPrivilege.canRun, LabPrivilege.skipReason))
struct PathTraceLabTests {
    struct Topology: Decodable {
        /// The ICMP error a check's own socket must name: type, code and the hop that sent it.
        struct ICMP: Decodable {
            let type: Int
            let code: Int
            let from: String
        }
        struct Expected: Decodable {
            let observed: String
            let stop: String
            let stop_hop: Int?
            let device: String?
            let icmp: ICMP?
        }
        struct Proxied: Decodable {
            let observed: String
            let icmp: ICMP
        }
        /// A check whose data (not its SYN) r2 rejects with ICMP once connected.
        struct Established: Decodable {
            let observed: String
            let reason: String
        }
        let hops: [String: String]
        let checks: [String: Expected]
        let established: [String: Established]
        let proxied: [String: Proxied]
        let dns: [String: String]
    }

    /// The lab, under a prefix of this process's own ("nlst" + pid), removed whatever happens.
    final class TraceLab {
        let prefix = "nlst\(getpid() % 100_000)"
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "nlsprobe-trace-\(UUID().uuidString)")

        func script(_ command: String) throws {
            try run([
                "env", "NLSPROBE_TRACE_LAB_PREFIX=\(prefix)",
                repositoryRoot.appendingPathComponent("scripts/trace-lab.sh").path, command,
            ])
        }

        /// Runs Profiles/lab/trace.yaml in the client namespace, `wrapper` in front of nlsprobe.
        func probe(wrapper: [String] = [], resolvConf: String? = nil, profile: String? = nil) throws -> Report {
            if let resolvConf {
                try resolvConf.write(
                    toFile: "/etc/netns/\(prefix)-client/resolv.conf", atomically: true, encoding: .utf8)
            }
            let work = folder.appendingPathComponent(UUID().uuidString)
            try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
            let profile = profile ?? repositoryRoot.appendingPathComponent("Profiles/lab/trace.yaml").path
            let command = [nlsprobeExecutable, "run", profile, "--output", work.path, "--format", "json,md", "--quiet"]
            let result = try run(
                ["ip", "netns", "exec", "\(prefix)-client"]
                    + (wrapper.isEmpty ? command : wrapper + ["exec " + command.joined(separator: " ")]),
                allowFailure: true)
            let json = try #require(
                try FileManager.default.contentsOfDirectory(atPath: work.path).first { $0.hasSuffix(".json") },
                "no report: \(result.output)")
            return try JSONReport.read(path: work.appendingPathComponent(json).path)
        }

        func down() {
            _ = try? run(
                [
                    "env", "NLSPROBE_TRACE_LAB_PREFIX=\(prefix)",
                    repositoryRoot.appendingPathComponent("scripts/trace-lab.sh").path, "down",
                ], allowFailure: true)
            try? FileManager.default.removeItem(at: folder)
        }
    }

    func topology() throws -> Topology {
        try JSONDecoder().decode(
            Topology.self,
            from: Data(contentsOf: repositoryRoot.appendingPathComponent("Profiles/lab/trace-topology.json")))
    }

    func check(_ report: Report, port: Int) throws -> CheckRecord {
        try #require(report.checks.first { $0.flow.port == port }, "no check of port \(port)")
    }

    /// Every failed check against the topology: what it observed, where the trace says it stops.
    func expectTopology(_ report: Report, privileged: Bool) throws {
        let topology = try topology()
        for (portText, expected) in topology.checks {
            let port = try #require(Int(portText))
            let record = try check(report, port: port)
            #expect(record.observed?.rawValue == expected.observed, "\(port): \(record.reason)")
            let path = try #require(record.evidence.path, "\(port) was not traced: \(record.reason)")
            #expect(path.probes <= 16 && path.durationMs < 20_000)
            // One flow: every probe from the same source port.
            #expect(path.sourcePort != nil)
            if port == 83 && !privileged {
                // Without CAP_NET_RAW the reset's TTL is unseen: the trace says where it came back.
                #expect(path.stop == .reset && path.stopHop == 3, "\(path.summary)")
                #expect(path.summary.contains("was not seen"), "\(path.summary)")
                continue
            }
            #expect(path.stop.rawValue == expected.stop, "\(port): \(path.summary)")
            if let hop = expected.stop_hop { #expect(path.stopHop == hop, "\(port): \(path.summary)") }
            if let device = expected.device {
                #expect(path.stopAddress == topology.hops[device], "\(port): \(path.summary)")
                #expect(record.reason.contains(topology.hops[device] ?? "?"), "\(record.reason)")
            }
        }
        // The ICMP reject is named from the check's own socket, with no capture: a tcp check's raw
        // socket, and libcurl's socket for tls and http checks.
        for (portText, expected) in topology.checks {
            guard let icmp = expected.icmp else { continue }
            try expectICMP(try check(report, port: try #require(Int(portText))), icmp, topology: topology)
        }
        // Through a proxy: the error names the hop on the way to the proxy, and says so.
        for (portText, expected) in topology.proxied {
            let record = try check(report, port: try #require(Int(portText)))
            #expect(record.observed?.rawValue == expected.observed, "\(portText): \(record.reason)")
            try expectICMP(record, expected.icmp, topology: topology)
            #expect(record.reason.contains("in answer to the SYN to the proxy"), "\(record.reason)")
        }
        // Connected, then the data rejected with ICMP: IP_RECVERR is off once the handshake is done,
        // so the error stays soft (as without it) and the phase budget ends the check, not the ICMP.
        for (portText, expected) in topology.established {
            let record = try check(report, port: try #require(Int(portText)))
            #expect(record.observed?.rawValue == expected.observed, "\(portText): \(record.reason)")
            #expect(record.reason.hasPrefix(expected.reason), "\(portText): \(record.reason)")
            #expect(record.evidence.icmp == nil, "\(portText): \(record.reason)")
        }
        // The check that passed is not traced.
        #expect(try check(report, port: 80).evidence.path == nil)
    }

    /// The check's ICMP evidence: type, code and sender as the topology says, read without capture.
    func expectICMP(_ record: CheckRecord, _ expected: Topology.ICMP, topology: Topology) throws {
        let port = record.flow.port
        let icmp = try #require(
            record.evidence.icmp, "\(port) \(record.flow.protocol): no ICMP named: \(record.reason)")
        #expect(icmp.version == 4 && icmp.type == expected.type && icmp.code == expected.code, "\(port): \(icmp)")
        #expect(icmp.from == topology.hops[expected.from], "\(port): \(icmp)")
        #expect(icmp.adminProhibited == (expected.type == 3 && expected.code == 13), "\(port): \(icmp)")
        #expect(record.reason.contains(icmp.summary), "\(port): \(record.reason)")
        #expect(record.evidence.wire == nil)
    }

    @Test func tracesNameTheHopAsRootAndWithoutCapNetRaw() throws {
        let lab = TraceLab()
        defer { lab.down() }
        try lab.script("up")
        let started = Date()
        let report = try lab.probe()
        try expectTopology(report, privileged: true)
        let dropped = try check(report, port: 81)
        #expect(
            dropped.evidence.path?.summary.hasPrefix("dropped after hop 1 (198.18.110.1); hops 1 198.18.110.1, 2 *")
                == true)
        // An unprivileged run: no raw socket, no capture; still the ICMP sender and the trace.
        let unprivileged = try lab.probe(wrapper: ["capsh", "--drop=cap_net_raw,cap_net_admin", "--", "-c"])
        try expectTopology(unprivileged, privileged: false)
        #expect(Date().timeIntervalSince(started) < 60)
    }

    @Test func aNameThatDoesNotResolveNamesItsResolver() throws {
        let lab = TraceLab()
        defer { lab.down() }
        try lab.script("up")
        let topology = try topology()
        let options = "search trace.test\noptions timeout:1 attempts:1\n"
        // Only the flow to the name that does not resolve.
        try FileManager.default.createDirectory(at: lab.folder, withIntermediateDirectories: true)
        let profile = lab.folder.appendingPathComponent("dns.yaml").path
        try """
        profile: lab-trace-dns
        title: a name no resolver knows
        sources:
          clients:
            subnets: [198.18.110.0/24]
        destinations:
          unknown:
            hosts: [missing.trace.test]
        flows:
          - {port: 443, protocol: tls, direction: egress, from: clients, to: unknown}
        defaults:
          dns_timeout: 2s
          attempts: 1
          trace: on-failure
        """.write(toFile: profile, atomically: true, encoding: .utf8)
        for (server, answer) in topology.dns.sorted(by: { $0.key < $1.key }) {
            let report = try lab.probe(resolvConf: "nameserver \(server)\n" + options, profile: profile)
            let record = try check(report, port: 443)
            #expect(record.observed == .dnsFailed)
            let dns = try #require(record.evidence.dns, "\(record.reason)")
            #expect(dns.servers == [server] && dns.search == ["trace.test"] && !dns.hostsFile)
            let expected =
                answer == "did not answer"
                ? "resolver \(server) did not answer within 2.0 s"
                : "resolver \(server) answered \(answer) for missing.trace.test (A and AAAA)"
            #expect(dns.summary.contains(expected), "\(dns.summary)")
            #expect(record.reason.contains(expected), "\(record.reason)")
            #expect(dns.queries.contains { $0.name == "missing.trace.test.trace.test" }, "the search domain is tried")
        }
        // Two resolvers, one silent: each named.
        let both = try lab.probe(
            resolvConf: "nameserver 198.18.140.55\nnameserver 198.18.140.54\n" + options, profile: profile)
        let summary = try #require(try check(both, port: 443).evidence.dns?.summary)
        #expect(summary.contains("resolver 198.18.140.55 did not answer within 2.0 s"), "\(summary)")
        #expect(summary.contains("resolver 198.18.140.54 answered SERVFAIL"), "\(summary)")
    }
}
