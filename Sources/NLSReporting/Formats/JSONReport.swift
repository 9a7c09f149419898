import Foundation
import NLSProbeCore

#if canImport(Glibc)
    import Glibc
#endif

/// Why a report could not be read or written.
public enum ReportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file could not be read.
    case unreadable(path: String, reason: String)
    /// The file is not a report this version understands.
    case invalid(path: String, detail: String)
    /// The report was written by another schema.
    case unsupportedSchema(path: String, found: String)
    /// The file could not be written; nothing was left behind.
    case writeFailed(path: String, reason: String)
    /// The output folder cannot take reports; found before anything was sent.
    case folderUnusable(path: String, reason: String)

    /// A message a person can act on.
    public var description: String {
        switch self {
        case .unreadable(let path, let reason): "\(path): cannot read the report: \(reason)"
        case .invalid(let path, let detail): "\(path): not an nlsprobe JSON report: \(detail)"
        case .unsupportedSchema(let path, let found):
            "\(path): report schema '\(found)' is not supported; this nlsprobe reads \(Report.schemaID)"
        case .writeFailed(let path, let reason): "\(path): cannot write the report: \(reason)"
        case .folderUnusable(let path, let reason):
            "\(path): the output folder cannot take reports: \(reason); give a writable folder with --output"
        }
    }
}

/// The report formats nlsprobe writes.
public enum ReportFormat: String, Sendable, CaseIterable {
    /// The JSON report, source of truth.
    case json
    /// Markdown for change tickets.
    case md
    /// JUnit XML for CI pipelines.
    case junit
    /// Prometheus text exposition for the node_exporter textfile collector.
    case prom

    /// The file extension.
    public var fileExtension: String {
        switch self {
        case .junit: "junit.xml"
        default: rawValue
        }
    }

    /// The formats of a comma-separated list such as "json,md" (spaces allowed), in order and
    /// without repeats.
    ///
    /// - Throws: ``ReportFormatError`` naming the first name that is not a format.
    public static func list(_ text: String) throws(ReportFormatError) -> [ReportFormat] {
        var formats: [ReportFormat] = []
        for name in text.split(separator: ",", omittingEmptySubsequences: false) {
            let trimmed = name.trimmingCharacters(in: .whitespaces)
            guard let format = ReportFormat(rawValue: trimmed) else { throw ReportFormatError(name: trimmed) }
            if !formats.contains(format) { formats.append(format) }
        }
        return formats
    }
}

/// A report format name that nlsprobe does not write.
public struct ReportFormatError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The name given.
    public let name: String

    /// The error for a format name that is not one.
    public init(name: String) { self.name = name }

    /// Names the format given and lists the ones there are.
    public var description: String {
        "'\(Excerpt.quote(name))' is not a report format; expected one or more of: "
            + ReportFormat.allCases.map(\.rawValue).joined(separator: ", ")
    }
}

/// Encodes and decodes the JSON report.
public enum JSONReport {
    /// The report as pretty-printed JSON with snake_case keys in sorted order, ending in a newline.
    ///
    /// Written by hand (``JSONText``) in the layout `JSONEncoder` gives; a test holds the two byte for byte.
    public static func encode(_ report: Report) -> Data {
        var data = Data()
        write(report) { data.append(contentsOf: $0) }
        return data
    }

    /// Writes the report's JSON in pieces of about 64 KB to `emit`, so that a 20,000-check report
    /// never sits whole in memory.
    public static func write(_ report: Report, to emit: (UnsafeRawBufferPointer) -> Void) {
        let piece = 1 << 16
        var text = JSONText(capacity: piece + 16_384)
        text.write(report) { text in
            if text.bytes.count >= piece { text.drain(to: emit) }
        }
        text.raw("\n")
        text.drain(to: emit)
    }

    /// The largest report file read: 256 MiB (a 20,000-check report is about 40 MB).
    public static let maximumFileSize = 256 << 20

    /// Reads a report file, checking its schema. Only regular files of at most
    /// ``maximumFileSize`` bytes are read; anything else gets a plain message.
    public static func read(path: String) throws(ReportError) -> Report {
        try decode(try readFile(path: path, limit: maximumFileSize), path: path)
    }

    /// The bytes of a regular file of at most `limit` bytes.
    static func readFile(path: String, limit: Int) throws(ReportError) -> Data {
        // O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused below.
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw .unreadable(path: path, reason: SystemErrorText.describe(errno)) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .unreadable(path: path, reason: SystemErrorText.describe(errno)) }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw .unreadable(path: path, reason: "it is a folder, not a report file")
        default: throw .unreadable(path: path, reason: "it is not a regular file (a device, pipe or socket)")
        }
        let tooLarge = ReportError.unreadable(
            path: path, reason: "it is larger than the \(limit >> 20) MiB limit for a report file")
        guard Int(info.st_size) <= limit else { throw tooLarge }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw .unreadable(path: path, reason: SystemErrorText.describe(errno))
            }
            if count == 0 { break }
            // The file may grow while it is read: the limit holds for what is read, not for what stat said.
            guard data.count + count <= limit else { throw tooLarge }
            data.append(contentsOf: buffer[0..<count])
        }
        return data
    }

    /// Decodes report JSON; `path` names it in errors.
    public static func decode(_ data: Data, path: String) throws(ReportError) -> Report {
        struct Header: Decodable { var schema: String? }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        guard let header = try? decoder.decode(Header.self, from: data) else {
            throw .invalid(path: path, detail: "the file is not a JSON object")
        }
        guard let schema = header.schema else { throw .invalid(path: path, detail: "it has no 'schema' field") }
        guard schema == Report.schemaID else { throw .unsupportedSchema(path: path, found: schema) }
        do {
            var report = try decoder.decode(Report.self, from: data)
            // A file's summary is not trusted: "Verdict: PASS" over 303 failed checks must not pass.
            report.summary = Summary(report.checks.map(\.verdict))
            return report
        } catch let DecodingError.keyNotFound(key, context) {
            throw .invalid(path: path, detail: "missing '\(key.stringValue)' at \(Self.pathText(context.codingPath))")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            throw .invalid(path: path, detail: "\(context.debugDescription) at \(Self.pathText(context.codingPath))")
        } catch let DecodingError.dataCorrupted(context) {
            throw .invalid(path: path, detail: "\(context.debugDescription) at \(Self.pathText(context.codingPath))")
        } catch {
            throw .invalid(path: path, detail: "\(error)")
        }
    }

    private static func pathText(_ path: [CodingKey]) -> String {
        let text = path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        return text.isEmpty ? "the top level" : text
    }
}

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
        let ours = [".json", ".md", ".junit.xml", ".prom", ".pcap"].contains { file.hasSuffix($0) }
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

/// Renders a report in any format.
public enum ReportRenderer {
    /// The report's bytes in `format`.
    public static func render(_ report: Report, as format: ReportFormat) -> Data {
        switch format {
        case .json: JSONReport.encode(report)
        case .md: Data(MarkdownReport.render(report).utf8)
        case .junit: Data(JUnitReport.render(report).utf8)
        case .prom: Data(PrometheusReport.render(report).utf8)
        }
    }

    /// Writes the report in `format` to `path`, whole or not at all; JSON is streamed to the file.
    /// With `replace` false an existing file is never replaced (see ``AtomicFile``).
    public static func write(_ report: Report, as format: ReportFormat, to path: String, replace: Bool = true)
        throws(ReportError)
    {
        switch format {
        case .json: try AtomicFile.write(to: path, replace: replace) { emit in JSONReport.write(report, to: emit) }
        default: try AtomicFile.write(render(report, as: format), to: path, replace: replace)
        }
    }
}
