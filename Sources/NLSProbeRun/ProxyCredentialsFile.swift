import Foundation
import NLSProbeCore

#if canImport(Glibc)
    import Glibc
#endif

/// A proxy credentials file: "user:password" on the first line, in a file only its owner can read.
public enum ProxyCredentialsFile {
    /// The "user:password" line of the file at `path`.
    ///
    /// - Throws: ``RunError/invalidSetting(_:)`` when the file cannot be read, others can read it
    ///   (with the `chmod` that mends it), is not a regular file of at most 4 KiB, or its first
    ///   line is not "user:password". The message never holds the file's content.
    public static func read(_ path: String) throws(RunError) -> String {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw .invalidSetting("--proxy-credentials-file \(path): \(String(cString: strerror(errno)))")
        }
        guard info.st_mode & 0o077 == 0 else {
            throw .invalidSetting(
                "--proxy-credentials-file \(path) can be read by others (mode \(String(info.st_mode & 0o777, radix: 8))); run: chmod 600 \(path)"
            )
        }
        // Read bounded (a credentials line is short; a FIFO or a huge file is refused, not waited on).
        let data: Data
        do {
            data = try BoundedFile.read(path: path, limit: 4096)
        } catch {
            throw .invalidSetting("--proxy-credentials-file \(path) cannot be used: \(error.description)")
        }
        guard let text = String(data: data, encoding: .utf8),
            let line = text.split(whereSeparator: \.isNewline).first.map({ $0.trimmingCharacters(in: .whitespaces) }),
            line.contains(":")
        else {
            throw .invalidSetting("--proxy-credentials-file \(path) must hold user:password on its first line")
        }
        return line
    }
}
