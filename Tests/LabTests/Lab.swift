import Foundation
import NLSProbeCore
import NLSReporting
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

struct LabError: Error, CustomStringConvertible {
    let description: String
}

/// Runs a command; throws with its output when it fails. Bounded to 120 s (see ``ChildProcess``).
@discardableResult
func run(_ arguments: [String], allowFailure: Bool = false) throws -> (status: Int32, output: String) {
    let result = try ChildProcess.run(arguments, allowFailure: allowFailure)
    return (result.status, result.output)
}

/// Runs the nlsprobe binary with `arguments` on a host without the library `soname`: in a mount
/// namespace of its own, /dev/null is bound over the file the loader would open (root).
func runWithLibraryHidden(_ soname: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
    let hide = """
        library=$(ldconfig -p | awk -v name="$0" '$1 == name { print $NF; exit }') && [ -n "$library" ] \
          && mount --bind /dev/null "$(readlink -f "$library")" && exec "$@"
        """
    return try run(
        ["unshare", "--mount", "--propagation", "private", "sh", "-c", hide, soname, nlsprobeExecutable] + arguments,
        allowFailure: true)
}

/// Two network namespaces joined by a veth pair: a client (198.18.0.1) and a server
/// (198.18.0.2 and 198.18.0.3) with nftables rules and a TCP listener. Everything lives in
/// 198.18.0.0/15 inside the namespaces; `down()` removes it all, also after a failed run.
final class MiniLab {
    let tag: String
    var client: String { "nlsp-c-\(tag)" }
    var server: String { "nlsp-s-\(tag)" }
    private var listener: Process?
    let folder: URL

    init() throws {
        tag = String(UUID().uuidString.prefix(6)).lowercased()
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("nlsprobe-lab-\(tag)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        do {
            try up()
        } catch {
            down()
            throw error
        }
    }

    private func up() throws {
        let clientLink = "vc-\(tag)"
        let serverLink = "vs-\(tag)"
        try run(["ip", "netns", "add", client])
        try run(["ip", "netns", "add", server])
        try run(["ip", "link", "add", clientLink, "type", "veth", "peer", "name", serverLink])
        try run(["ip", "link", "set", clientLink, "netns", client])
        try run(["ip", "link", "set", serverLink, "netns", server])
        try run(["ip", "-n", client, "addr", "add", "198.18.0.1/24", "dev", clientLink])
        try run(["ip", "-n", server, "addr", "add", "198.18.0.2/24", "dev", serverLink])
        try run(["ip", "-n", server, "addr", "add", "198.18.0.3/24", "dev", serverLink])
        for (namespace, link) in [(client, clientLink), (server, serverLink)] {
            try run(["ip", "-n", namespace, "link", "set", link, "up"])
            try run(["ip", "-n", namespace, "link", "set", "lo", "up"])
        }
        let rules = """
            table ip lab {
              chain input {
                type filter hook input priority 0; policy accept;
                tcp dport 81 drop
                tcp dport 82 reject with icmp type admin-prohibited
              }
            }
            """
        let rulesFile = folder.appendingPathComponent("rules.nft").path
        try rules.write(toFile: rulesFile, atomically: true, encoding: .utf8)
        try run(["ip", "netns", "exec", server, "nft", "-f", rulesFile])
        let hosts = "127.0.0.1 localhost\n198.18.0.2 lab.test\n198.18.0.3 lab.test\n"
        try FileManager.default.createDirectory(atPath: "/etc/netns/\(client)", withIntermediateDirectories: true)
        try hosts.write(toFile: "/etc/netns/\(client)/hosts", atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "ip", "netns", "exec", server, "python3", "-m", "http.server", "8443", "--bind", "0.0.0.0",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.currentDirectoryURL = folder
        try process.run()
        listener = process
        let listening = Wait.until(timeout: 5, interval: 0.05) {
            let probe = try? run(["ip", "netns", "exec", server, "ss", "-Hltn", "sport = :8443"], allowFailure: true)
            return probe?.output.contains("8443") == true
        }
        guard listening else { throw LabError(description: "the lab listener on 8443 did not start") }
    }

    /// Runs nlsprobe inside the client namespace and returns its exit status and JSON report.
    func probe(_ profileText: String, arguments: [String] = []) throws -> (
        status: Int32, report: Report, output: String
    ) {
        let profile = folder.appendingPathComponent("profile.yaml").path
        try profileText.write(toFile: profile, atomically: true, encoding: .utf8)
        let output = folder.appendingPathComponent("reports-\(UUID().uuidString.prefix(4))").path
        let result = try run(
            [
                "ip", "netns", "exec", client, nlsprobeExecutable, "run", profile, "--output", output, "--format",
                "json,md",
            ]
                + arguments, allowFailure: true)
        let files = (try? FileManager.default.contentsOfDirectory(atPath: output)) ?? []
        guard let json = files.first(where: { $0.hasSuffix(".json") }) else {
            throw LabError(description: "no JSON report written (exit \(result.status)): \(result.output)")
        }
        return (result.status, try JSONReport.read(path: output + "/" + json), result.output)
    }

    func down() {
        if let listener { ChildProcess.stop(listener) }
        _ = try? run(["ip", "netns", "pids", server], allowFailure: true).output.split(separator: "\n").forEach {
            if let pid = Int32($0) { kill(pid, SIGKILL) }
        }
        _ = try? run(["ip", "netns", "del", client], allowFailure: true)
        _ = try? run(["ip", "netns", "del", server], allowFailure: true)
        try? FileManager.default.removeItem(atPath: "/etc/netns/\(client)")
        try? FileManager.default.removeItem(at: folder)
    }

    deinit { down() }
}
