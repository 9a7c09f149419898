import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Writes files whole or not at all: a temporary file in the same folder, flushed, then renamed.
public enum AtomicFile {
    /// Writes `data` to `path` atomically with the given permissions; with `replace` false an
    /// existing file at `path` is never replaced (the write fails instead).
    public static func write(_ data: Data, to path: String, mode: mode_t = 0o644, replace: Bool = true)
        throws(ReportError)
    {
        try write(to: path, mode: mode, replace: replace) { emit in data.withUnsafeBytes { emit($0) } }
    }

    /// Writes what `produce` hands to `emit`, piece by piece, to `path` atomically with the given
    /// permissions. After a failed write the remaining pieces are dropped and nothing is left behind.
    /// With `replace` false the finished file is linked into place, which fails when `path` exists:
    /// a file another run wrote is never overwritten.
    public static func write(
        to path: String, mode: mode_t = 0o644, replace: Bool = true,
        _ produce: (_ emit: (UnsafeRawBufferPointer) -> Void) -> Void
    ) throws(ReportError) {
        let directory = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        let temporary = (directory.isEmpty ? "." : directory) + "/" + temporaryName(for: name)
        // A file of our own name and process id can only be a leftover of a process that had our id before.
        unlink(temporary)
        // O_EXCL and O_NOFOLLOW: never write through a link someone put in the folder.
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
        guard fd >= 0 else { throw .writeFailed(path: path, reason: SystemErrorText.describe(errno)) }
        var failure: String?
        produce { raw in
            var offset = 0
            while failure == nil && offset < raw.count {
                let written = Glibc.write(fd, raw.baseAddress?.advanced(by: offset), raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = SystemErrorText.describe(errno)
                } else if written == 0 {
                    failure = "the file system accepted no more bytes"
                } else {
                    offset += written
                }
            }
        }
        if failure == nil && fsync(fd) != 0 { failure = SystemErrorText.describe(errno) }
        if close(fd) != 0 && failure == nil { failure = SystemErrorText.describe(errno) }
        if failure == nil {
            if replace {
                if rename(temporary, path) != 0 { failure = SystemErrorText.describe(errno) }
            } else if link(temporary, path) == 0 {
                unlink(temporary)
            } else if errno == EEXIST {
                failure = "another file of that name exists (written by another run); it was left as it is"
            } else if (errno == EPERM || errno == EOPNOTSUPP || errno == EXDEV) && !exists(path) {
                // A file system without hard links: the name is this run's claim (RunFileNames).
                if rename(temporary, path) != 0 { failure = SystemErrorText.describe(errno) }
            } else {
                failure = SystemErrorText.describe(errno)
            }
        }
        if let failure {
            unlink(temporary)
            throw .writeFailed(path: path, reason: failure)
        }
        // The rename itself reaches the disk: after a power cut the file is the old one or the new one.
        let folder = open(directory.isEmpty ? "." : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if folder >= 0 {
            fsync(folder)
            close(folder)
        }
    }

    private static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// The temporary file name a write of `name` uses: `.NAME.PID.tmp`.
    public static func temporaryName(for name: String) -> String {
        ".\(name).\(getpid()).tmp"
    }

    /// The process id in a temporary name of our own pattern: `.NAME.PID.tmp` where NAME is a
    /// report, metrics or capture file name (or the output folder's write test); nil for any other name.
    public static func ownerOfTemporaryName(_ name: String) -> pid_t? {
        guard name.hasPrefix("."), name.hasSuffix(".tmp") else { return nil }
        let inner = name.dropFirst().dropLast(4)
        guard let dot = inner.lastIndex(of: "."), let pid = pid_t(inner[inner.index(after: dot)...]), pid > 0
        else { return nil }
        let file = inner[..<dot]
        let ours = (ReportFormat.allCases.map { "." + $0.fileExtension } + [".pcap"]).contains { file.hasSuffix($0) }
        guard ours || file == "nlsprobe-write-test", file.count > 1 else { return nil }
        return pid
    }

    /// Creates a folder and its parents when missing.
    public static func ensureDirectory(_ path: String) throws(ReportError) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            var info = stat()
            let reason: String
            if stat(path, &info) == 0 && info.st_mode & S_IFMT != S_IFDIR {
                reason = "it is a file, not a folder"
            } else if mkdir(path, 0o755) != 0 {
                reason = SystemErrorText.describe(errno)
            } else {
                reason = "it could not be created at first"
            }
            throw .writeFailed(path: path, reason: "cannot create the folder: \(reason)")
        }
    }
}
