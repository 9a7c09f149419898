import Foundation
import NLSProbeCore
import NLSReporting
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Proxy settings through the command line: environment mode, credentials files, the client's
/// gridd.conf; and credentials never surface anywhere.
@Suite(
    .serialized,
    .enabled(
        if: ProcessInfo.processInfo.environment["CI"] == "true"
            || FileManager.default.isExecutableFile(atPath: "/usr/sbin/squid"),
        "needs squid-openssl (Debian): scripts/test.sh installs it"))
struct ProxyCommandLineTests {
    let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("nlsprobe-proxycli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    func write(_ text: String, _ name: String, mode: mode_t = 0o644) throws -> String {
        let path = folder.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, mode)
        return path
    }

    func profile(port: UInt16, proxy: String) -> String {
        """
        profile: proxy-cli
        title: proxy through the command line
        sources:
          here: {}
        destinations:
          target:
            hosts: [127.0.0.1]
        flows:
          - {port: \(port), protocol: tcp, direction: egress, from: here, to: target}
        defaults:
          connect_timeout: 1s
          attempts: 1
          proxy: \(proxy)
        """
    }

    /// Runs nlsprobe with exactly this environment; returns status, everything printed, and the report.
    func probe(_ arguments: [String], environment: [String: String]) throws -> (Int32, String, Report?) {
        let output = folder.appendingPathComponent("out-\(UUID().uuidString.prefix(6))").path
        let result = try run(
            ["env", "-i", "PATH=/usr/bin:/bin"] + environment.map { "\($0.key)=\($0.value)" } + [
                nlsprobeExecutable, "run", "--output", output, "-vv",
            ] + arguments, allowFailure: true)
        let files = (try? FileManager.default.contentsOfDirectory(atPath: output)) ?? []
        let report = try files.first { $0.hasSuffix(".json") }.map { try JSONReport.read(path: output + "/" + $0) }
        // Credentials never reach a report, a log line or a file name.
        #expect(!result.output.contains(SquidProxy.password), "printed output")
        for file in files {
            #expect(!file.contains(SquidProxy.password))
            let text = try String(contentsOfFile: output + "/" + file, encoding: .utf8)
            #expect(!text.contains(SquidProxy.password), "\(file)")
        }
        return (result.status, result.output, report)
    }

    @Test func environmentModeHonoursProxyVariablesAndNoProxy() throws {
        let server = try MisbehavingServer(.closeAtOnce)
        defer { server.stop() }
        let squid = try SquidProxy()
        defer { squid.stop() }
        let path = try write(profile(port: server.port, proxy: "environment"), "env.yaml")
        let credentials = "\(SquidProxy.user):\(SquidProxy.password)"

        let (status, output, report) = try probe(
            [path], environment: ["http_proxy": squid.url, "NLSPROBE_PROXY_CREDENTIALS": credentials])
        #expect(status == 0, "\(output)")
        #expect(report?.checks.first?.evidence.proxy?.status == "200 Connection established")
        #expect(report?.checks.first?.proxy == "environment")

        // no_proxy sends the check direct, so a dead proxy in http_proxy does not matter.
        let dead = "http://127.0.0.1:\(freePort())"
        let (direct, _, directReport) = try probe([path], environment: ["http_proxy": dead, "no_proxy": "127.0.0.1"])
        #expect(direct == 0)
        #expect(directReport?.checks.first?.observed == .open)
        let (failed, _, failedReport) = try probe([path], environment: ["http_proxy": dead])
        #expect(failed == 1)
        #expect(failedReport?.checks.first?.observed == .proxyUnreachable)

        // A direct profile is not changed by the variables.
        let directPath = try write(profile(port: server.port, proxy: "direct"), "direct.yaml")
        let (plain, _, plainReport) = try probe([directPath], environment: ["http_proxy": dead, "https_proxy": dead])
        #expect(plain == 0)
        #expect(plainReport?.checks.first?.proxy == nil)
    }

    @Test func credentialsFileAndGriddConf() throws {
        let server = try MisbehavingServer(.closeAtOnce)
        defer { server.stop() }
        let squid = try SquidProxy()
        defer { squid.stop() }
        let path = try write(profile(port: server.port, proxy: "direct"), "p.yaml")
        let open = try write("\(SquidProxy.user):\(SquidProxy.password)\n", "open-creds", mode: 0o644)
        let (refused, message, _) = try probe(
            [path, "--proxy", squid.url, "--proxy-credentials-file", open], environment: [:])
        #expect(refused == 64)
        #expect(message.contains("chmod 600"))

        let secret = try write("\(SquidProxy.user):\(SquidProxy.password)\n", "creds", mode: 0o600)
        let (status, output, report) = try probe(
            [path, "--proxy", squid.url, "--proxy-credentials-file", secret], environment: [:])
        #expect(status == 0, "\(output)")
        #expect(report?.checks.first?.evidence.proxy?.credentialsSent == true)

        // The proxy the licensed client uses, from its gridd.conf.
        let gridd = try write(
            "# client settings\nFeatureType=1\nProxyServerAddress=127.0.0.1\nProxyServerPort=\(squid.port)\nProxyUserName=\(SquidProxy.user)\n",
            "gridd.conf")
        let (viaGridd, griddOutput, griddReport) = try probe(
            [path, "--gridd-conf", gridd, "--proxy-credentials-file", secret], environment: [:])
        #expect(viaGridd == 0, "\(griddOutput)")
        #expect(griddReport?.checks.first?.proxy == squid.url)
        #expect(griddOutput.contains("names proxy user \(SquidProxy.user)"))

        // Without credentials the proxy answers 407, and the report says so.
        let (denied, _, deniedReport) = try probe([path, "--gridd-conf", gridd], environment: [:])
        #expect(denied == 1)
        #expect(deniedReport?.checks.first?.observed == .proxyAuthRequired)
    }
}
