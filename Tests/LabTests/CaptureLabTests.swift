import Foundation
import NLSProbeCore
import NLSReporting
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `--capture` in the lab: what crossed the wire, per check, and who answered.
@Suite(.serialized, .enabled(if: LabPrivilege.canRun, LabPrivilege.skipReason))
struct CaptureLabTests {
    func check(_ report: Report, _ id: String) throws -> CheckRecord {
        try #require(report.checks.first { $0.id == id }, "no check \(id)")
    }

    @Test func wireEvidenceInTheLab() throws {
        let lab = ScriptLab(prefix: "nlspc")
        defer { lab.down() }
        try lab.script("up")

        let (_, cls) = try lab.probe("cls.yaml", from: "client", arguments: ["--capture"])
        let capture = try #require(cls.run.capture)
        // Drop: SYNs and no answer.
        let dropped = try check(cls, "clients-a 198.18.10.10 -> cls api.cls.licensing.nvidia.com 198.18.20.11 tls/443")
        #expect(dropped.observed == .filtered)
        #expect((dropped.evidence.wire?.synsSent ?? 0) >= 1)
        #expect(dropped.evidence.wire?.answer == .silence)
        // ICMP admin-prohibited names the router.
        let rejected = try check(cls, "clients-b 198.18.11.10 -> cls api.cls.licensing.nvidia.com 198.18.20.10 tcp/80")
        #expect(rejected.observed == .unreachable)
        #expect(rejected.evidence.wire?.answer == .icmp)
        #expect(rejected.evidence.wire?.answerFrom == "198.18.11.1")
        #expect(rejected.evidence.wire?.icmpAdminProhibited == true)
        #expect(
            rejected.reason.contains("administratively prohibited (ICMP 3/13) from 198.18.11.1"), "\(rejected.reason)")
        // Open: SYN-ACK and the TLS handshake.
        let open = try check(cls, "clients-a 198.18.10.10 -> cls api.cls.licensing.nvidia.com 198.18.20.10 tls/443")
        #expect(open.evidence.wire?.answer == .synAck)
        #expect(open.evidence.wire?.clientHelloSent == true && open.evidence.wire?.serverHello == true)

        // The pcap file: 0600, and Wireshark's tshark reads it back.
        var info = stat()
        #expect(stat(capture, &info) == 0 && info.st_mode & 0o777 == 0o600)
        let tshark = try run(["tshark", "-r", capture, "-c", "20"])
        #expect(tshark.output.contains("[SYN]"), "\(tshark.output)")

        // Reject with tcp-reset on the router: a RST whose TTL is not the server's.
        let (_, dls) = try lab.probe("dls.yaml", from: "client", arguments: ["--capture"])
        let reset = try check(dls, "clients-a 198.18.10.10 -> dls dls-a.lab.test 198.18.21.10 tls/8082")
        #expect(reset.observed == .refused)
        #expect(reset.evidence.wire?.answer == .reset)
        #expect(reset.evidence.wire?.injectedReset == true, "\(String(describing: reset.evidence.wire))")
        #expect(reset.reason.contains("sent by a firewall or middlebox, not the server"))

        // A reset forged by the router for the first data segment (the ClientHello) of 8082 flows to node b.
        try run([
            "ip", "netns", "exec", "\(lab.prefix)-router", "nft",
            "insert rule ip lab forward ip saddr 198.18.10.0/24 ip daddr 198.18.22.10 tcp dport 8082 tcp flags & psh == psh reject with tcp reset",
        ])
        let profile = """
            profile: lab-forged
            title: a reset forged after the ClientHello
            sources:
              clients-a:
                subnets: [198.18.10.0/24]
            destinations:
              node-b:
                hosts: [dls-b.lab.test]
            flows:
              - {port: 8082, protocol: tls, direction: ingress, from: clients-a, to: node-b}
            defaults:
              connect_timeout: 1s
              tls_timeout: 2s
              attempts: 1
              tls:
                ca_file: ../../.lab/ca.pem
            """
        try profile.write(
            to: repositoryRoot.appendingPathComponent("Profiles/lab/.forged-\(lab.prefix).yaml"), atomically: true,
            encoding: .utf8)
        defer {
            try? FileManager.default.removeItem(
                at: repositoryRoot.appendingPathComponent("Profiles/lab/.forged-\(lab.prefix).yaml"))
        }
        let (_, forged) = try lab.probe(".forged-\(lab.prefix).yaml", from: "client", arguments: ["--capture"])
        let forgedCheck = try #require(forged.checks.first)
        #expect(forgedCheck.observed == .tlsFailed, "\(forgedCheck.reason)")
        #expect(forgedCheck.evidence.wire?.clientHelloSent == true)
        #expect(forgedCheck.evidence.wire?.resetAfterClientHello == true)
        #expect(forgedCheck.evidence.wire?.injectedReset == true, "\(String(describing: forgedCheck.evidence.wire))")
        #expect(forgedCheck.reason.contains("a reset came back"), "\(forgedCheck.reason)")
    }

    @Test func serverResettingAfterTheClientHello() throws {
        let server = try MisbehavingServer(.resetOnData)
        defer { server.stop() }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("nlsprobe-cap-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let profile = folder.appendingPathComponent("reset.yaml").path
        try """
        profile: reset-after-hello
        title: a server that resets after the ClientHello
        sources:
          here: {}
        destinations:
          lo:
            hosts: [127.0.0.1]
        flows:
          - {port: \(server.port), protocol: tls, direction: egress, from: here, to: lo}
        defaults:
          connect_timeout: 1s
          tls_timeout: 2s
          attempts: 1
        """.write(toFile: profile, atomically: true, encoding: .utf8)
        _ = try run(
            [nlsprobeExecutable, "run", profile, "--capture", "--output", folder.path, "--format", "json"],
            allowFailure: true)
        let json = try #require(
            try FileManager.default.contentsOfDirectory(atPath: folder.path).first { $0.hasSuffix(".json") })
        let report = try JSONReport.read(path: folder.appendingPathComponent(json).path)
        let check = try #require(report.checks.first)
        #expect(check.observed == .tlsFailed)
        #expect(check.evidence.wire?.clientHelloSent == true)
        #expect(check.evidence.wire?.resetAfterClientHello == true)
        #expect(check.evidence.wire?.injectedReset == false)
    }

    @Test func withoutCapNetRawTheRunGoesOn() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "nlsprobe-nocap-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let profile = folder.appendingPathComponent("p.yaml").path
        try """
        profile: no-capability
        title: capture without CAP_NET_RAW
        sources:
          here: {}
        destinations:
          lo:
            hosts: [127.0.0.1]
        flows:
          - {port: 9, protocol: tcp, direction: egress, from: here, to: lo, expect: block}
        defaults:
          attempts: 1
        """.write(toFile: profile, atomically: true, encoding: .utf8)
        let drop = ["capsh", "--drop=cap_net_raw,cap_net_admin", "--", "-c"]
        let command = "exec \(nlsprobeExecutable) run \(profile) --output \(folder.path) --capture"
        let soft = try run(drop + [command], allowFailure: true)
        #expect(soft.status == 0, "\(soft.output)")
        #expect(soft.output.contains("capture off: capturing packets needs CAP_NET_RAW"))
        #expect(soft.output.contains("setcap cap_net_raw"))
        let required = try run(drop + [command + " --capture-required"], allowFailure: true)
        #expect(required.status == 64, "\(required.output)")
        #expect(required.output.contains("needs CAP_NET_RAW"))
    }

    /// libpcap is opened at the first capture, not linked: a host without it starts and runs
    /// (`--version`, a run without `--capture`), and `--capture` says what is missing and what to do.
    /// The library is hidden in a mount namespace of the test's own (/dev/null bound over its file).
    @Test func withoutLibpcapTheRunSaysWhatToInstall() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "nlsprobe-nopcap-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let profile = folder.appendingPathComponent("p.yaml").path
        try """
        profile: no-libpcap
        title: capture without libpcap
        sources:
          here: {}
        destinations:
          lo:
            hosts: [127.0.0.1]
        flows:
          - {port: 9, protocol: tcp, direction: egress, from: here, to: lo, expect: block}
        defaults:
          attempts: 1
        """.write(toFile: profile, atomically: true, encoding: .utf8)
        func hidden(_ arguments: [String]) throws -> (status: Int32, output: String) {
            try runWithLibraryHidden("libpcap.so.0.8", arguments)
        }
        let version = try hidden(["--version"])
        #expect(version.status == 0, "\(version.output)")
        let plain = try hidden(["run", profile, "--output", folder.path])
        #expect(plain.status == 0, "\(plain.output)")
        #expect(!plain.output.contains("could not be loaded"), "\(plain.output)")
        let soft = try hidden(["run", profile, "--output", folder.path, "--capture"])
        #expect(soft.status == 0, "\(soft.output)")
        #expect(soft.output.contains("capture off: libpcap could not be loaded (/"), "\(soft.output)")
        #expect(soft.output.contains("install libpcap0.8 (Debian/Ubuntu"), "\(soft.output)")
        let required = try hidden(["run", profile, "--output", folder.path, "--capture-required"])
        #expect(required.status == 64, "\(required.output)")
        #expect(required.output.contains("libpcap could not be loaded"), "\(required.output)")
        #expect(required.output.contains("or run without --capture"), "\(required.output)")
    }
}
