import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A squid proxy on loopback, configured at test time: either a plain HTTP proxy with Basic
/// authentication and an ACL, or an ssl-bump proxy that re-signs TLS with its own CA.
public final class SquidProxy: @unchecked Sendable {
    /// The loopback port it listens on.
    public let port: UInt16
    /// The folder it works in.
    public let folder: URL
    /// The user squid accepts.
    public static let user = "probe"
    /// The password squid accepts (tests check it never surfaces).
    public static let password = "s3cret-Passw0rd"
    private let process: BackgroundProcess

    /// `deniedPort`: CONNECT to it is refused with 403. `bumpCA`: certificate and key that re-sign TLS.
    public init(deniedPort: UInt16? = nil, bump: (certificate: String, key: String)? = nil) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "nlsprobe-squid-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        chmod(folder.path, 0o777)
        self.folder = folder
        port = freePort()
        var lines = [
            "pid_filename \(folder.path)/squid.pid", "cache_log \(folder.path)/cache.log",
            "access_log \(folder.path)/access.log", "netdb_filename stdio:\(folder.path)/netdb.state",
            "cache deny all", "cache_mem 8 MB", "shutdown_lifetime 0 seconds", "visible_hostname nlsprobe-test-proxy",
            "coredump_dir \(folder.path)",
        ]
        if getuid() == 0 { lines.append("cache_effective_user proxy") }
        if let bump {
            let database = folder.appendingPathComponent("ssl_db").path
            guard
                try shell(["/usr/lib/squid/security_file_certgen", "-c", "-s", database, "-M", "4MB"], in: folder) == 0
            else { throw TestSetupError("security_file_certgen could not create \(database)") }
            if getuid() == 0 { _ = try shell(["chown", "-R", "proxy", database], in: folder) }
            lines += [
                "http_port 127.0.0.1:\(port) ssl-bump tls-cert=\(bump.certificate) tls-key=\(bump.key) generate-host-certificates=on dynamic_cert_mem_cache_size=4MB",
                "sslcrtd_program /usr/lib/squid/security_file_certgen -s \(database) -M 4MB",
                "ssl_bump bump all", "tls_outgoing_options flags=DONT_VERIFY_PEER", "sslproxy_cert_error allow all",
                "http_access allow all",
            ]
        } else {
            let hash = try Self.apr1(Self.password, in: folder)
            try "\(Self.user):\(hash)\n".write(
                to: folder.appendingPathComponent("htpasswd"), atomically: true, encoding: .utf8)
            chmod(folder.appendingPathComponent("htpasswd").path, 0o644)
            lines += [
                "http_port 127.0.0.1:\(port)",
                "auth_param basic program /usr/lib/squid/basic_ncsa_auth \(folder.path)/htpasswd",
                "auth_param basic realm nlsprobe-test", "acl authed proxy_auth REQUIRED", "acl CONNECT method CONNECT",
            ]
            if let deniedPort {
                lines += ["acl denied_port port \(deniedPort)", "http_access deny CONNECT denied_port"]
            }
            lines += ["http_access allow authed", "http_access deny all"]
        }
        let config = folder.appendingPathComponent("squid.conf")
        try lines.joined(separator: "\n").appending("\n").write(to: config, atomically: true, encoding: .utf8)
        chmod(config.path, 0o644)
        process = try BackgroundProcess(["squid", "-N", "-f", config.path], port: port, in: folder)
    }

    /// "http://127.0.0.1:PORT".
    public var url: String { "http://127.0.0.1:\(port)" }

    /// Everything squid logged, for failure messages.
    public var logs: String {
        ["cache.log", "access.log"].compactMap {
            try? String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8)
        }.joined(separator: "\n")
    }

    /// Stops it; safe to call twice.
    public func stop() {
        process.stop()
        try? FileManager.default.removeItem(at: folder)
    }

    deinit { stop() }

    private static func apr1(_ password: String, in folder: URL) throws -> String {
        let pipe = Pipe()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = ["passwd", "-apr1", password]
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        guard ChildProcess.waitForExit(process, timeout: 5) == 0 else {
            throw TestSetupError("openssl passwd -apr1 failed: \(output)")
        }
        return output.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// microsocks, a SOCKS5 proxy, on loopback.
public final class SocksProxy: @unchecked Sendable {
    /// The loopback port it listens on.
    public let port: UInt16
    private let process: BackgroundProcess

    /// Creates and starts it; throws when it cannot.
    public init(in folder: URL) throws {
        port = freePort()
        process = try BackgroundProcess(["microsocks", "-i", "127.0.0.1", "-p", "\(port)"], port: port, in: folder)
    }

    /// The address to give as a proxy or a folder's location.
    public var url: String { "socks5://127.0.0.1:\(port)" }

    /// Stops it; safe to call twice.
    public func stop() { process.stop() }

    deinit { stop() }
}
