import Foundation
import NLSProbeCore

#if canImport(Glibc)
    import Glibc
#endif

/// The file names of one run: `FOLDER/PROFILE-STAMP.EXT`, the stamp to the millisecond
/// (`20261129T100000.123Z`), with `-2`, `-3`… when another run already took that name. The name is
/// claimed when the run starts (a `.PROFILE-STAMP.claim` file created exclusively, holding the
/// process id), so that no other run, in this process or another, writes the same report, Markdown
/// or capture file; the claim is released once the reports are written.
public final class RunFileNames: Sendable {
    /// The folder the files go to.
    public let folder: String
    /// The shared part of every file name: `PROFILE-STAMP` or `PROFILE-STAMP-N`.
    public let base: String
    private let claimPath: String

    /// The extensions a run writes under its base name (a candidate name is taken when any exists):
    /// every report format but the metrics (which keep a stable name), and the capture.
    public static let extensions =
        ReportFormat.allCases.filter { $0 != .prom }.map { "." + $0.fileExtension } + [".pcap"]

    /// How many suffixes are tried before giving up: more runs of one profile in one millisecond
    /// into one folder than any real use makes.
    public static let maximumSuffix = 1000

    private init(folder: String, base: String, claimPath: String) {
        self.folder = folder
        self.base = base
        self.claimPath = claimPath
    }

    /// Claims a base name for a run of `profile` started at `started` in `folder` (which must exist).
    public static func claim(folder: String, profile: String, started: Date) throws(ReportError) -> RunFileNames {
        let stem = FileNames.safeComponent(profile) + "-" + stamp(started)
        let directory = folder.hasSuffix("/") ? String(folder.dropLast()) : folder
        var lastError: Int32 = EEXIST
        for suffix in 1...maximumSuffix {
            let base = suffix == 1 ? stem : "\(stem)-\(suffix)"
            if extensions.contains(where: { FileManager.default.fileExists(atPath: "\(directory)/\(base)\($0)") }) {
                continue
            }
            let claimPath = "\(directory)/\(claimName(for: base))"
            let fd = open(claimPath, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
            guard fd >= 0 else {
                lastError = errno
                if lastError == EEXIST { continue }
                break
            }
            let pid = Array("\(getpid())\n".utf8)
            _ = pid.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            close(fd)
            return RunFileNames(folder: directory, base: base, claimPath: claimPath)
        }
        let reason =
            lastError == EEXIST
            ? "\(maximumSuffix) runs of this profile already use this millisecond's name"
            : SystemErrorText.describe(lastError)
        throw .writeFailed(path: "\(directory)/\(stem).json", reason: reason)
    }

    /// The path of the run's file with this suffix (".json", ".md", ".junit.xml", ".pcap").
    public func path(_ suffix: String) -> String {
        "\(folder)/\(base)\(suffix)"
    }

    /// Gives the name back; the files written stay (and keep other runs from the name).
    public func release() {
        unlink(claimPath)
    }

    /// "20261129T100000.123Z": UTC to the millisecond, for file names.
    public static func stamp(_ date: Date) -> String {
        Timestamps.compactMilliseconds(date)
    }

    /// The claim file of a base name: `.BASE.claim`.
    public static func claimName(for base: String) -> String {
        ".\(base).claim"
    }

    /// The process id written in a claim file named `name` in `folder`, when the name is a claim's
    /// (`.NAME.claim`) and the file holds one; nil otherwise.
    public static func ownerOfClaim(named name: String, in folder: String) -> pid_t? {
        guard name.hasPrefix("."), name.hasSuffix(".claim"), name.count > 7 else { return nil }
        // A claim holds "PID\n"; a link is not a claim of ours and is not followed.
        guard let data = try? BoundedFile.read(path: folder + "/" + name, limit: 64, followLinks: false) else {
            return nil
        }
        let text = String(decoding: data, as: UTF8.self)
        return pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)).flatMap { $0 > 0 ? $0 : nil }
    }
}
