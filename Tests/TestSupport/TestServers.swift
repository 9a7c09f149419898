import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Runs a command and returns its exit status; output goes to a log in `directory`.
@discardableResult
public func shell(_ arguments: [String], in directory: URL) throws -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    process.currentDirectoryURL = directory
    let log = FileHandle(forWritingAtPath: directory.appendingPathComponent("commands.log").path)
    log?.seekToEndOfFile()
    process.standardOutput = log ?? FileHandle.nullDevice
    process.standardError = log ?? FileHandle.nullDevice
    try process.run()
    guard let status = ChildProcess.waitForExit(process, timeout: 30) else {
        ChildProcess.stop(process, grace: 0)
        throw TestSetupError("\(arguments.joined(separator: " ")) did not finish within 30 s")
    }
    return status
}

/// A temporary folder removed when the value goes away.
public final class TemporaryFolder: Sendable {
    /// The address to give as a proxy or a folder's location.
    public let url: URL
    /// Creates and starts it; throws when it cannot.
    public init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("nlsprobe-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: url.appendingPathComponent("commands.log").path, contents: nil)
    }
    /// Writes `text` to the file `name` in the folder and returns its path.
    public func write(_ text: String, _ name: String) throws -> String {
        let path = url.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    deinit { try? FileManager.default.removeItem(at: url) }
}

/// Certificates made at test time with the openssl command: a CA, a server certificate it signs,
/// a self-signed one, an expired one and one for another name.
public struct TestCertificates: Sendable {
    /// The folder it works in.
    public let folder: URL
    /// The CA certificate (PEM) that signs the test certificates.
    public var caFile: String { folder.appendingPathComponent("ca.pem").path }

    /// Creates and starts it; throws when it cannot.
    public init(in folder: URL) throws {
        self.folder = folder
        let config = """
            [ca]
            default_ca = test_ca
            [test_ca]
            database = db/index.txt
            serial = db/serial
            new_certs_dir = db
            default_md = sha256
            policy = any
            copy_extensions = copy
            unique_subject = no
            [any]
            commonName = supplied
            """
        try config.write(to: folder.appendingPathComponent("ca.cnf"), atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("db"), withIntermediateDirectories: true)
        try "".write(to: folder.appendingPathComponent("db/index.txt"), atomically: true, encoding: .utf8)
        try "01\n".write(to: folder.appendingPathComponent("db/serial"), atomically: true, encoding: .utf8)
        let steps: [[String]] = [
            [
                "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
                "-days", "2", "-subj", "/CN=nlsprobe test CA",
            ],
            [
                "openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
            ],
            [
                "openssl", "ca", "-batch", "-config", "ca.cnf", "-cert", "ca.pem", "-keyfile", "ca.key", "-in",
                "server.csr",
                "-out", "good.pem", "-days", "1", "-notext",
            ],
            [
                "openssl", "ca", "-batch", "-config", "ca.cnf", "-cert", "ca.pem", "-keyfile", "ca.key", "-in",
                "server.csr",
                "-out", "expired.pem", "-startdate", "20200101000000Z", "-enddate", "20200102000000Z", "-notext",
            ],
            [
                "openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "wrong.key", "-out", "wrong.csr",
                "-subj", "/CN=wrong.example", "-addext", "subjectAltName=DNS:wrong.example",
            ],
            [
                "openssl", "ca", "-batch", "-config", "ca.cnf", "-cert", "ca.pem", "-keyfile", "ca.key", "-in",
                "wrong.csr",
                "-out", "wrong.pem", "-days", "1", "-notext",
            ],
            [
                "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "self.key", "-out", "self.pem",
                "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
            ],
        ]
        for step in steps {
            let status = try shell(step, in: folder)
            if status != 0 { throw TestSetupError("\(step.joined(separator: " ")) exited \(status)") }
        }
    }

    /// One set for the whole test process: key generation is the slow part.
    public static let shared: Result<(TemporaryFolder, TestCertificates), Error> = Result {
        let folder = try TemporaryFolder()
        return (folder, try TestCertificates(in: folder.url))
    }

    /// The path of a file made in the folder.
    public func path(_ name: String) -> String { folder.appendingPathComponent(name).path }
}

/// A test fixture could not be set up.
public struct TestSetupError: Error, CustomStringConvertible {
    /// What went wrong.
    public let description: String
    /// Creates and starts it; throws when it cannot.
    public init(_ description: String) { self.description = description }
}

/// A free TCP port on loopback (bound, read, released); 0 when none could be bound.
public func freePort() -> UInt16 {
    guard let listener = try? LoopbackListener(backlog: 1) else { return 0 }
    close(listener.fd)
    return listener.port
}

/// Waits until something accepts on 127.0.0.1:port (at most 5 s).
public func waitForListener(_ port: UInt16) -> Bool {
    Wait.until(timeout: 5, interval: 0.05) { LoopbackClient(port: port) != nil }
}

/// `openssl s_server` on a loopback port with a given certificate; stopped on `stop()` or deinit.
public final class TLSServer: @unchecked Sendable {
    /// The loopback port it listens on.
    public let port: UInt16
    private let process = Process()

    /// Creates and starts it; throws when it cannot.
    public init(certificate: String, key: String, in folder: URL) throws {
        port = freePort()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = [
            "s_server", "-accept", "127.0.0.1:\(port)", "-cert", certificate, "-key", key, "-www", "-quiet",
        ]
        process.currentDirectoryURL = folder
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        guard waitForListener(port) else {
            process.terminate()
            throw TestSetupError("openssl s_server did not start on port \(port)")
        }
    }

    /// Stops it; safe to call twice.
    public func stop() {
        // Process.waitUntilExit spins on a run loop off the main thread; poll instead, bounded.
        ChildProcess.stop(process)
    }

    deinit { stop() }
}

/// A small socket server for misbehaviour: accepts and then stays silent, sends a banner,
/// closes at once, resets at once, or resets on the first data. Stops on `stop()` or deinit; every wait is bounded.
public final class MisbehavingServer: @unchecked Sendable {
    /// What the server does with a connection.
    public enum Mode: Sendable { case silent, banner, closeAtOnce, resetAtOnce, resetOnData }
    /// The loopback port it listens on.
    public let port: UInt16
    private let fd: Int32
    private final class State: Sendable {
        private struct Fields {
            var stopped = false
            var exited = false
            var clients: [Int32] = []
        }
        private let fields = Mutex(Fields())
        func isStopped() -> Bool { fields.withLock { $0.stopped } }
        func keep(_ client: Int32) { fields.withLock { $0.clients.append(client) } }
        /// Marks it stopped; false when it already was.
        func stop() -> Bool {
            fields.withLock { fields in
                defer { fields.stopped = true }
                return !fields.stopped
            }
        }
        func markExited() { fields.withLock { $0.exited = true } }
        func hasExited() -> Bool { fields.withLock { $0.exited } }
        func takeClients() -> [Int32] {
            fields.withLock { fields in
                defer { fields.clients.removeAll() }
                return fields.clients
            }
        }
    }
    private let state = State()
    private let thread: Thread

    /// Creates and starts it; throws when it cannot.
    public init(_ mode: Mode) throws {
        let listener = try LoopbackListener(backlog: 1024, reuseAddress: true)
        let fd = listener.fd
        port = listener.port
        self.fd = fd
        let state = self.state
        thread = Thread {
            while !state.isStopped() {
                var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                guard poll(&poller, 1, 100) > 0 else { continue }
                let client = accept(fd, nil, nil)
                guard client >= 0 else { continue }
                switch mode {
                case .silent:
                    state.keep(client)
                case .banner:
                    let banner = "SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n"
                    _ = banner.withCString { send(client, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
                    state.keep(client)
                case .closeAtOnce:
                    close(client)
                case .resetAtOnce:
                    var abort = linger(l_onoff: 1, l_linger: 0)
                    setsockopt(client, SOL_SOCKET, SO_LINGER, &abort, socklen_t(MemoryLayout<linger>.size))
                    close(client)
                case .resetOnData:
                    // Wait (bounded) for the first bytes, a ClientHello, then abort with a reset.
                    var reader = pollfd(fd: client, events: Int16(POLLIN), revents: 0)
                    _ = poll(&reader, 1, 2000)
                    var buffer = [UInt8](repeating: 0, count: 512)
                    _ = recv(client, &buffer, buffer.count, Int32(MSG_DONTWAIT))
                    var abort = linger(l_onoff: 1, l_linger: 0)
                    setsockopt(client, SOL_SOCKET, SO_LINGER, &abort, socklen_t(MemoryLayout<linger>.size))
                    close(client)
                }
            }
            state.markExited()
        }
        thread.start()
    }

    /// Stops it; safe to call twice.
    public func stop() {
        guard state.stop() else { return }
        // The accept loop looks at the flag every 100 ms: the listener is closed once it has left.
        _ = Wait.until(timeout: 2) { state.hasExited() }
        close(fd)
        state.takeClients().forEach { close($0) }
    }

    deinit { stop() }
}

/// A helper program (squid, microsocks, ...) kept running until `stop()`; waits for its port.
public final class BackgroundProcess: @unchecked Sendable {
    private let process = Process()

    /// Creates and starts it; throws when it cannot.
    public init(_ arguments: [String], port: UInt16, in folder: URL, environment: [String: String]? = nil) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.currentDirectoryURL = folder
        let log = folder.appendingPathComponent("\(arguments[0])-\(port).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        if let environment { process.environment = environment }
        try process.run()
        guard waitForListener(port) else {
            stop()
            let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            throw TestSetupError("\(arguments.joined(separator: " ")) did not listen on \(port): \(output)")
        }
    }

    /// Stops it; safe to call twice.
    public func stop() {
        ChildProcess.stop(process, grace: 5)
    }

    deinit { stop() }
}
