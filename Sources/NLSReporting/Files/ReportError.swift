import NLSProbeCore

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
