import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Servers and proxies that misbehave on purpose (`scripts/hostile-peer.py`): one loopback port per
/// mode, ready when the script says so. The script ends when this object stops or goes away (its
/// standard input closes), and on its own after its lifetime, so no test leaves one behind.
public final class HostilePeers: @unchecked Sendable {
    /// The loopback port of each mode, in the order given.
    public let ports: [UInt16]
    private let process = Process()
    private let input = Pipe()

    /// Starts one peer per mode (see the script for the modes); `certificate` and `key` serve the
    /// `tls+` modes. Waits at most 10 s for every listener.
    public init(_ modes: [String], certificate: String? = nil, key: String? = nil) throws {
        let script = HostilePeers.script()
        var arguments = [script, "--lifetime", "300"]
        if let certificate, let key { arguments += ["--cert", certificate, "--key", key] }
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = arguments + modes
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = input
        try process.run()
        guard let line = HostilePeers.readLine(output.fileHandleForReading.fileDescriptor, within: 10),
            line.hasPrefix("PORTS ")
        else {
            process.terminate()
            throw TestSetupError("scripts/hostile-peer.py did not report its ports")
        }
        let ports = line.dropFirst(6).split(separator: " ").compactMap { UInt16($0) }
        guard ports.count == modes.count else {
            process.terminate()
            throw TestSetupError("scripts/hostile-peer.py reported \(ports.count) ports for \(modes.count) modes")
        }
        self.ports = ports
    }

    /// The port of the peer started with `mode` (the first one when given twice).
    public func port(_ mode: String, in modes: [String]) -> UInt16? {
        modes.firstIndex(of: mode).map { ports[$0] }
    }

    /// Stops the script; safe to call twice.
    public func stop() {
        guard process.isRunning else { return }
        try? input.fileHandleForWriting.close()
        // Its standard input closing ends it; SIGTERM and SIGKILL if it does not go.
        if ChildProcess.waitForExit(process, timeout: 2) == nil { ChildProcess.stop(process) }
    }

    deinit { stop() }

    /// The script, found from this source file's place in the repository.
    static func script() -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/hostile-peer.py").path
    }

    /// One line from `fd`, waiting at most `seconds`.
    static func readLine(_ fd: Int32, within seconds: Double) -> String? {
        var bytes: [UInt8] = []
        let end = Date().addingTimeInterval(seconds)
        while Date() < end && bytes.count < 4096 {
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 100) > 0 else { continue }
            var byte: UInt8 = 0
            guard read(fd, &byte, 1) == 1 else { return nil }
            if byte == UInt8(ascii: "\n") { return String(decoding: bytes, as: UTF8.self) }
            bytes.append(byte)
        }
        return nil
    }
}
