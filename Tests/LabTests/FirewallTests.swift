import Foundation
import NLSProbeCore
import TestSupport
import Testing

/// A real firewall (nftables in a network namespace) between a client and a server namespace.
@Suite(.serialized, .enabled(if: LabPrivilege.canRun, LabPrivilege.skipReason))
struct FirewallTests {
    static let profile = """
        profile: lab-basic
        title: Client subnet to a lab server behind nftables
        sources:
          client:
            subnets: [198.18.0.0/24]
          elsewhere:
            subnets: [198.19.99.0/24]
        destinations:
          server:
            hosts: [lab.test]
        flows:
          - {port: 8443, protocol: tcp, direction: egress, from: client, to: server}
          - {port: 81, protocol: tcp, direction: egress, from: client, to: server, expect: block}
          - {port: 82, protocol: tcp, direction: egress, from: client, to: server, expect: block}
          - {port: 81, protocol: tcp, direction: egress, from: client, to: server}
          - {port: 82, protocol: tcp, direction: egress, from: client, to: server}
          - {port: 83, protocol: tcp, direction: egress, from: client, to: server}
          - {port: 8443, protocol: tcp, direction: egress, from: elsewhere, to: server}
        defaults:
          connect_timeout: 1s
          attempts: 1
        """

    @Test func dropRejectAndTwoAddresses() throws {
        let lab = try MiniLab()
        defer { lab.down() }
        let started = Date()
        let (status, report, output) = try lab.probe(Self.profile)
        let elapsed = Date().timeIntervalSince(started)
        #expect(status == 1, "\(output)")
        func checks(_ flow: Int) -> [CheckRecord] { report.checks.filter { $0.flow.index == flow } }

        // One name, two addresses (through /etc/netns/<ns>/hosts): two checks each, bound to the subnet's address.
        let open = checks(0)
        #expect(open.map(\.destination.address) == ["198.18.0.2", "198.18.0.3"])
        #expect(open.allSatisfy { $0.observed == .open && $0.source.address == "198.18.0.1" })
        #expect(open.allSatisfy { $0.evidence.localAddress == "198.18.0.1" })

        // Silent drop: filtered, and a block expectation passes.
        #expect(checks(1).allSatisfy { $0.observed == .filtered && $0.verdict == .pass })
        #expect(checks(3).allSatisfy { $0.observed == .filtered && $0.verdict == .fail })
        #expect(checks(3).first?.reason == "no answer to SYN within 1.0 s")
        // ICMP admin-prohibited: unreachable.
        #expect(checks(2).allSatisfy { $0.observed == .unreachable && $0.verdict == .pass })
        #expect(checks(4).allSatisfy { $0.observed == .unreachable && $0.verdict == .fail })
        #expect(checks(4).first?.reason.contains("ICMP") == true)
        // Nothing listening: refused.
        #expect(checks(5).allSatisfy { $0.observed == .refused })
        // A group whose subnet is not on this host is skipped, never a pass.
        #expect(checks(6).allSatisfy { $0.verdict == .skipped && $0.observed == nil })
        #expect(report.run.localSources == ["client"])
        // Every filtered check ended within its bound: checks run concurrently, not one after another.
        #expect(elapsed < 6, "took \(elapsed) s")
    }

    @Test func planShowsWhatRunsAndWhatIsSkipped() throws {
        let lab = try MiniLab()
        defer { lab.down() }
        let profile = lab.folder.appendingPathComponent("plan.yaml").path
        try Self.profile.write(toFile: profile, atomically: true, encoding: .utf8)
        let result = try run(["ip", "netns", "exec", lab.client, nlsprobeExecutable, "plan", profile])
        #expect(result.output.contains("client 198.18.0.1 -> server lab.test 198.18.0.3 tcp/8443"))
        #expect(result.output.contains("run from 198.18.0.1"))
        #expect(result.output.contains("skip: this host has no address in 198.19.99.0/24"))
    }
}
