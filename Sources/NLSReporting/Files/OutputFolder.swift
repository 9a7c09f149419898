import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The folder reports are written to: checked before the first probe is sent, cleaned of our own
/// stale temporary files, and the fallback place when it fails at the end.
public enum OutputFolder {
    /// Creates the folder (and its parents) and proves it writable by creating, writing, closing
    /// and removing a temporary file of our own pattern in it.
    ///
    /// The test file is not flushed to the disk (`fsync`): a read-only or full file system, a
    /// missing permission or an exhausted quota already fail the open or the write (and a network
    /// file system reports its server's refusal at the close), while a flush waits for the file
    /// system's journal, some milliseconds on a local disk, before the run may send anything. A
    /// folder that fails only later fails the report's own flush (``AtomicFile``): the run then
    /// saves its JSON report in ``fallbackDirectory``, says so, and ends with an internal error.
    public static func prepare(_ path: String) throws(ReportError) {
        var info = stat()
        if stat(path, &info) == 0 {
            guard info.st_mode & S_IFMT == S_IFDIR else {
                throw .folderUnusable(path: path, reason: "it is a file, not a folder")
            }
        } else if errno == ENOTDIR {
            throw .folderUnusable(path: path, reason: SystemErrorText.describe(ENOTDIR))
        } else {
            do {
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            } catch {
                throw .folderUnusable(path: path, reason: "cannot create it: \(creationFailure(path))")
            }
        }
        let probe = path + "/" + AtomicFile.temporaryName(for: "nlsprobe-write-test")
        unlink(probe)
        let fd = open(probe, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .folderUnusable(path: path, reason: SystemErrorText.describe(errno)) }
        defer { unlink(probe) }
        var failure: Int32 = 0
        let bytes: [UInt8] = Array("nlsprobe\n".utf8)
        let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        if written != bytes.count { failure = written < 0 ? errno : ENOSPC }
        if close(fd) != 0 && failure == 0 { failure = errno }
        if failure != 0 { throw .folderUnusable(path: path, reason: SystemErrorText.describe(failure)) }
    }

    /// Why creating `path` failed: the first ancestor that exists and is not a folder, or the
    /// errno of a last attempt.
    private static func creationFailure(_ path: String) -> String {
        var ancestor = (path as NSString).deletingLastPathComponent
        for _ in 0..<256 where !ancestor.isEmpty && ancestor != "/" {
            var info = stat()
            if stat(ancestor, &info) == 0 {
                if info.st_mode & S_IFMT != S_IFDIR { return "\(ancestor) is a file, not a folder" }
                break
            }
            ancestor = (ancestor as NSString).deletingLastPathComponent
        }
        return mkdir(path, 0o755) == 0 ? "it was created late" : SystemErrorText.describe(errno)
    }

    /// How old a temporary file or claim of a process that no longer exists must be before it is
    /// removed, in seconds.
    public static let staleAfterSeconds = 3600

    /// Removes temporary files our writers left behind in `path` when a process was killed mid-write:
    /// regular files named exactly `.NAME.PID.tmp` (NAME a report, metrics, capture or write-test
    /// name), and run-name claims `.NAME.claim` (see ``RunFileNames``), whose process no longer
    /// exists and which are older than `staleAfterSeconds`. Returns the names removed.
    @discardableResult
    public static func removeStaleTemporaryFiles(in path: String) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return [] }
        var removed: [String] = []
        for name in names {
            let owner = AtomicFile.ownerOfTemporaryName(name) ?? RunFileNames.ownerOfClaim(named: name, in: path)
            guard let pid = owner, pid != getpid() else { continue }
            guard kill(pid, 0) != 0 && errno == ESRCH else { continue }
            var info = stat()
            let full = path + "/" + name
            guard lstat(full, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { continue }
            // A folder shared between containers holds files of processes this one cannot see
            // (another PID namespace): only a file untouched for an hour is taken for abandoned.
            guard time(nil) - info.st_mtim.tv_sec >= Self.staleAfterSeconds else { continue }
            if unlink(full) == 0 { removed.append(name) }
        }
        return removed
    }

    /// Where the JSON report goes when the output folder cannot take it: `$TMPDIR`, else `/tmp`.
    public static var fallbackDirectory: String {
        let tmp = ProcessInfo.processInfo.environment["TMPDIR"] ?? ""
        return tmp.isEmpty ? "/tmp" : tmp
    }
}
