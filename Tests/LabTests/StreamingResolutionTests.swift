import Foundation
import NLSProbeCore
import NLSReporting
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A run streams: each check starts once its own name has resolved. In a namespace of its own, one
/// name comes from the namespace's hosts file and another goes to a resolver that drops every
/// query (nftables on the namespace's loopback); the checks of the first do not wait for the second.
@Suite(.serialized, .enabled(if: LabPrivilege.canRun, LabPrivilege.skipReason))
struct StreamingResolutionTests {
    @Test func aNameThatNeverResolvesCostsOnlyItsOwnChecks() throws {
        let tag = String(UUID().uuidString.prefix(6)).lowercased()
        let namespace = "nlsp-dns-\(tag)"
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nlsprobe-dns-\(tag)")
        defer {
            _ = try? run(["ip", "netns", "del", namespace], allowFailure: true)
            try? FileManager.default.removeItem(atPath: "/etc/netns/\(namespace)")
            try? FileManager.default.removeItem(at: folder)
        }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: "/etc/netns/\(namespace)", withIntermediateDirectories: true)
        try "127.0.0.1 localhost\n127.0.0.1 fast.test\n".write(
            toFile: "/etc/netns/\(namespace)/hosts", atomically: true, encoding: .utf8)
        try "nameserver 127.0.0.1\noptions timeout:5 attempts:1\n".write(
            toFile: "/etc/netns/\(namespace)/resolv.conf", atomically: true, encoding: .utf8)
        try run(["ip", "netns", "add", namespace])
        try run(["ip", "-n", namespace, "link", "set", "lo", "up"])
        // The resolver drops every query; port 81 drops every SYN.
        let rules = folder.appendingPathComponent("rules.nft").path
        try """
        table inet streaming {
          chain input {
            type filter hook input priority 0; policy accept;
            udp dport 53 drop
            tcp dport 53 drop
            tcp dport 81 ct state new drop
          }
        }
        """.write(toFile: rules, atomically: true, encoding: .utf8)
        try run(["ip", "netns", "exec", namespace, "nft", "-f", rules])
        let profile = folder.appendingPathComponent("streaming.yaml").path
        try """
        profile: streaming
        title: a slow name beside checks of known duration
        sources:
          here: {}
        destinations:
          fast:
            hosts: [fast.test]
          slow:
            hosts: [slow.test]
        flows:
          - {port: 81, protocol: tcp, direction: egress, from: here, to: fast, expect: block}
          - {port: 80, protocol: tcp, direction: egress, from: here, to: slow}
          - {port: 81, protocol: tcp, direction: egress, from: here, to: fast, expect: block}
        defaults:
          attempts: 1
          connect_timeout: 3s
          dns_timeout: 3s
        """.write(toFile: profile, atomically: true, encoding: .utf8)
        let output = folder.appendingPathComponent("reports").path
        let started = Date()
        let result = try run(
            [
                "ip", "netns", "exec", namespace, nlsprobeExecutable, "run", profile, "--output", output, "--format",
                "json", "--quiet",
            ], allowFailure: true)
        let wall = Date().timeIntervalSince(started)
        let files = (try? FileManager.default.contentsOfDirectory(atPath: output)) ?? []
        let json = try #require(files.first { $0.hasSuffix(".json") }, "no report: \(result.output)")
        let report = try JSONReport.read(path: output + "/" + json)
        // Plan order, as before: flow by flow.
        #expect(report.checks.map(\.flow.index) == [0, 1, 2])
        #expect(report.checks[0].observed == .filtered && report.checks[2].observed == .filtered)
        #expect(report.checks[0].destination.address == "127.0.0.1", "fast.test comes from the namespace's hosts file")
        #expect(report.checks[1].observed == .dnsFailed)
        #expect(
            report.checks[1].reason.contains("no answer from the resolver within 3.0 s"), "\(report.checks[1].reason)")
        // Waiting for every name first, the run would take the DNS timeout and then the connect
        // timeout: 6 s. Streamed, both run side by side: about 3 s.
        #expect(wall < 4.5, "the run took \(wall) s: the dropped ports waited for the slow name")
    }
}
