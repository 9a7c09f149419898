import Foundation
import NLSProbeCore

#if canImport(Glibc)
    import Glibc
#endif

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
            if text.count >= piece { text.drain(to: emit) }
        }
        text.raw("\n")
        text.drain(to: emit)
    }

    /// The largest report file read: 256 MiB (a 20,000-check report is about 40 MB).
    public static let maximumFileSize = 256 << 20

    /// Reads a report file, checking its schema. Only regular files of at most
    /// ``maximumFileSize`` bytes are read; anything else gets a plain message.
    public static func read(path: String) throws(ReportError) -> Report {
        try decode(try bytes(path: path, limit: maximumFileSize), path: path)
    }

    /// The bytes of a report file: a regular file of at most `limit` bytes (``BoundedFile``). A
    /// folder, device, pipe, socket or larger file is refused with a plain message.
    static func bytes(path: String, limit: Int) throws(ReportError) -> Data {
        do {
            return try BoundedFile.read(path: path, limit: limit)
        } catch {
            let reason =
                switch error {
                case .noSuchFile: SystemErrorText.describe(ENOENT)
                case .notRegularFile(.directory): "it is a folder, not a report file"
                case .notRegularFile: "it is not a regular file (a device, pipe or socket)"
                case .tooLarge: "it is larger than the \(limit >> 20) MiB limit for a report file"
                case .systemError(let code): SystemErrorText.describe(code)
                }
            throw .unreadable(path: path, reason: reason)
        }
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
