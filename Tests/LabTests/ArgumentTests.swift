import Foundation
import NLSProbeCore
import NLSReporting
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The argument traps of issue 13, through the executable: each message says what is wrong and
/// what to do, with its exit status. Needs no root (loopback only).
@Suite struct ArgumentTests {
    /// A scratch folder of this test's own, removed with it.
    let scratch: TemporaryFolder
    var folder: URL { scratch.url }

    init() throws { scratch = try TemporaryFolder() }

    func write(_ text: String, _ name: String) throws -> String { try scratch.write(text, name) }

    /// A one-flow profile towards a closed loopback port: plans and runs in milliseconds.
    func loopbackProfile() throws -> String {
        try write(
            """
            profile: args-test
            title: argument test
            sources:
              here: {}
            destinations:
              target:
                hosts: [127.0.0.1]
            flows:
              - {port: 9, protocol: tcp, direction: egress, from: here, to: target, expect: block}
            defaults:
              connect_timeout: 1s
              attempts: 1
            """, "args.yaml")
    }

    func nlsprobe(_ arguments: [String]) throws -> (status: Int32, output: String) {
        try run([nlsprobeExecutable] + arguments, allowFailure: true)
    }

    /// `--capture` is a flag: `--capture lo cls` never takes `lo` as an interface, and never runs
    /// `lo` as a profile either: it says what `lo` is and which option takes it.
    @Test func captureIsAFlagAndAnInterfaceIsNeverAProfile() throws {
        let result = try nlsprobe(["run", "--capture", "lo", "cls", "--output", folder.path])
        #expect(result.status == 64, "\(result.output)")
        #expect(
            result.output.contains(
                "'lo' is a network interface of this host, not a profile; to capture on it, give --capture-interface lo"
            ),
            "\(result.output)")
        let help = try nlsprobe(["run", "--help"])
        #expect(help.status == 0)
        #expect(help.output.contains("--capture-interface <interface>"))
        #expect(help.output.contains("--capture-required"))
        #expect(!help.output.contains("--capture <interface>"), "\(help.output)")
        // The old optional-value form is gone: --capture=eth0 is a usage error, not a capture on eth0.
        let old = try nlsprobe(["run", "--capture=eth0", "cls"])
        #expect(old.status == 64)
        #expect(old.output.contains("--capture"), "\(old.output)")
    }

    /// `--capture-required` on an interface that does not exist: exit 64 before anything is sent,
    /// and the message names the interface.
    @Test func requiredCaptureOnAMissingInterfaceIsAUsageError() throws {
        let profile = try loopbackProfile()
        let result = try nlsprobe([
            "run", profile, "--capture-interface", "nlsp-none0", "--capture-required", "--output", folder.path,
        ])
        #expect(result.status == 64, "\(result.output)")
        #expect(result.output.contains("nlsp-none0"), "\(result.output)")
    }

    @Test func negativeDurationsSayTheyAreNegative() throws {
        let profile = try loopbackProfile()
        for option in ["--connect-timeout", "--clock-skew-limit"] {
            let result = try nlsprobe(["run", profile, option, "-1", "--output", folder.path])
            #expect(result.status == 64, "\(option): \(result.output)")
            #expect(result.output.contains("\(option) '-1' is negative"), "\(result.output)")
            #expect(!result.output.contains("Missing value"), "\(result.output)")
            // After parsing, the usage shown is the subcommand's.
            #expect(result.output.contains("Usage: nlsprobe run"), "\(result.output)")
        }
        let plan = try nlsprobe(["plan", profile, "--connect-timeout", "-500ms"])
        #expect(plan.status == 64)
        #expect(plan.output.contains("--connect-timeout '-500ms' is negative"), "\(plan.output)")
    }

    /// 500ms, 5s, 2m, 1h and a bare number of seconds; the 600 s bound of a timeout is said as such.
    @Test func durationsTakeEveryUnitAndBareSeconds() throws {
        let profile = try loopbackProfile()
        for value in ["500ms", "5s", "2m", "5", "1.5"] {
            let result = try nlsprobe(["plan", profile, "--connect-timeout", value])
            #expect(result.status == 0, "--connect-timeout \(value): \(result.output)")
        }
        let hour = try nlsprobe(["run", profile, "--clock-skew-limit", "1h", "--output", folder.path, "--quiet"])
        #expect(hour.status == 0, "\(hour.output)")
        let report = try JSONReport.read(
            path: try #require(
                (try FileManager.default.contentsOfDirectory(atPath: folder.path)).first { $0.hasSuffix(".json") }
                    .map { folder.path + "/" + $0 }))
        #expect(report.run.clockSkewLimitS == 3600)
        let long = try nlsprobe(["plan", profile, "--connect-timeout", "1h"])
        #expect(long.status == 64)
        #expect(long.output.contains("--connect-timeout '1h' is longer than its limit of 600 s"), "\(long.output)")
        let unit = try nlsprobe(["plan", profile, "--connect-timeout", "5x"])
        #expect(unit.status == 64)
        #expect(
            unit.output.contains(
                "--connect-timeout '5x' is not a duration; give a number of seconds (5) or a number with a unit: 500ms, 5s, 1.5s, 2m, 1h"
            ), "\(unit.output)")
    }

    /// `--bind` with an address this host does not have is refused by `plan`, listing the ones it has.
    @Test func bindToAForeignAddressIsAUsageErrorAtPlanTime() throws {
        let profile = try loopbackProfile()
        for command in ["plan", "run"] {
            let result = try nlsprobe(
                [command, profile, "--bind", "10.99.99.99", "--output", folder.path].filter {
                    command == "run" || ($0 != "--output" && $0 != folder.path)
                })
            #expect(result.status == 64, "\(command): \(result.output)")
            #expect(
                result.output.contains("--bind 10.99.99.99 is not an address of this host (its addresses: 127.0.0.1"),
                "\(result.output)")
            #expect(result.output.contains("Usage: nlsprobe \(command)"), "\(result.output)")
        }
        let local = try nlsprobe(["plan", profile, "--bind", "127.0.0.1"])
        #expect(local.status == 0, "\(local.output)")
    }

    @Test func griddConfProblemsCarryTheirLine() throws {
        let profile = try loopbackProfile()
        let conf = try write("# client\nProxyServerAddress=proxy.example.test\n\nProxyServerPort=abc\n", "gridd.conf")
        let result = try nlsprobe(["plan", profile, "--gridd-conf", conf])
        #expect(result.status == 64, "\(result.output)")
        #expect(result.output.contains("\(conf):4: ProxyServerPort 'abc' is not a port (1-65535)"), "\(result.output)")
        #expect(result.output.contains("Usage: nlsprobe plan"), "\(result.output)")
    }

    @Test func missingTokenNamesThePathOnce() throws {
        let path = folder.appendingPathComponent("client_configuration_token_missing.tok").path
        for arguments in [["token", "inspect", path], ["profile", "from-token", path], ["run", "--token", path]] {
            let result = try nlsprobe(arguments)
            #expect(result.status == 64, "\(arguments): \(result.output)")
            #expect(result.output.components(separatedBy: path).count == 2, "path not exactly once: \(result.output)")
            #expect(
                result.output.contains(
                    "\(path): cannot read the token: no such file; give the path of a client configuration token (a .tok file)"
                ), "\(result.output)")
        }
    }

    @Test func malformedTokenIsExplainedInOurWords() throws {
        let header = TokenFactory.base64url(Data("{\"alg\":\"RS256\"}".utf8))
        let body = TokenFactory.base64url(Data("not json at all".utf8))
        let path = try write("\(header).\(body).c2lnbmF0dXJl\n", "client_configuration_token_bad.tok")
        let result = try nlsprobe(["token", "inspect", path])
        #expect(result.status == 64, "\(result.output)")
        #expect(!result.output.contains("correct format"), "\(result.output)")
        #expect(
            result.output.contains(
                "\(path): the token's payload is not a JSON object: its base64url decodes to 15 bytes that do not parse as JSON"
            ), "\(result.output)")
    }

    /// A profile made from a token has no file to edit: the untrusted-certificate hint names --ca-file.
    @Test func tokenRunsHintAtCAFile() throws {
        let certificates = try TestCertificates(in: folder)
        let server = try TLSServer(
            certificate: certificates.path("self.pem"), key: certificates.path("self.key"), in: folder)
        defer { server.stop() }
        let factory = try TokenFactory()
        let token = try factory.token(
            TokenFactory.payload(nodes: [("127.0.0.1", 0)], sets: [(0, "DLS", [("lease", Int(server.port))])]))
        let tokenPath = try write(token, "client_configuration_token_test.tok")
        let output = folder.appendingPathComponent("token-out").path
        let result = try nlsprobe([
            "run", "--token", tokenPath, "--output", output, "--connect-timeout", "1", "--attempts", "1",
        ])
        #expect(result.status == 1, "\(result.output)")
        let markdown = try String(
            contentsOfFile: try #require(
                (try FileManager.default.contentsOfDirectory(atPath: output)).first { $0.hasSuffix(".md") }
                    .map { output + "/" + $0 }), encoding: .utf8)
        #expect(markdown.contains("tls-untrusted"), "\(markdown)")
        #expect(markdown.contains("give the service's CA with --ca-file FILE (a DLS with its own CA)"), "\(markdown)")
        #expect(!markdown.contains("tls.ca_file"), "\(markdown)")
    }

    /// A usage error found while the command runs prints that subcommand's usage, not the top level's.
    @Test func runTimeUsageErrorsShowTheSubcommandsUsage() throws {
        let profile = try loopbackProfile()
        let result = try nlsprobe(["run", profile, "--source", "nowhere", "--output", folder.path])
        #expect(result.status == 64, "\(result.output)")
        #expect(result.output.contains("Error: --source 'nowhere' names no group of profile 'args-test'"))
        #expect(result.output.contains("Usage: nlsprobe run [<options>] [<profiles> ...]"), "\(result.output)")
        #expect(result.output.contains("See 'nlsprobe run --help'"), "\(result.output)")
        #expect(!result.output.contains("Usage: nlsprobe <subcommand>"), "\(result.output)")
    }

    /// The shipped profiles say they still hold placeholders, on validate and on run (and in the Markdown).
    @Test func placeholdersAreWarnedAbout() throws {
        let validate = try nlsprobe(["validate", "dls", "dls-ha"])
        #expect(validate.status == 0, "\(validate.output)")
        #expect(validate.output.contains("warning: source group 'clients' in "), "\(validate.output)")
        #expect(validate.output.contains("still has its placeholder subnets (10.10.20.0/24)"), "\(validate.output)")
        #expect(
            validate.output.contains("still has its placeholder hosts (dls.example.internal)"), "\(validate.output)")
        #expect(
            validate.output.contains(
                "still has its placeholder hosts (dls-node-a.example.internal, dls-node-b.example.internal)"),
            "\(validate.output)")
        let output = folder.appendingPathComponent("dls").path
        let run = try nlsprobe(["run", "dls", "--output", output])
        #expect(run.status == 2, "\(run.output)")
        #expect(run.output.contains("still has its placeholder hosts (dls.example.internal)"), "\(run.output)")
        // Every skipped verdict comes with its reason: the flow line and the summary of reasons.
        #expect(
            run.output.contains("SKIPPED  this host has no address in 10.10.20.0/24; run nlsprobe from that subnet"),
            "\(run.output)")
        #expect(run.output.contains("skipped: 3 checks: this host has no address in 10.10.20.0/24"), "\(run.output)")
        let markdown = try String(
            contentsOfFile: try #require(
                (try FileManager.default.contentsOfDirectory(atPath: output)).first { $0.hasSuffix(".md") }
                    .map { output + "/" + $0 }), encoding: .utf8)
        #expect(markdown.contains("> ⚠️ Warning: destination group 'dls'"), "\(markdown)")
        #expect(markdown.contains("## Skipped checks"), "\(markdown)")
        #expect(
            markdown.contains("➖ skipped (3): this host has no address") == false
                && markdown.contains("| ➖ skipped: this host has no address in 10.10.20.0/24"), "\(markdown)")
    }
}
