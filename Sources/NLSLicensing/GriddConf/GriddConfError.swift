/// Why a gridd.conf could not be used.
public enum GriddConfError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file could not be read (missing, not a regular file, larger than `GriddConf.maxFileBytes`).
    case unreadable(path: String, reason: String)
    /// The proxy settings are incomplete or invalid; `line` is the line of the setting at fault.
    case invalidProxy(path: String, line: Int, reason: String)

    /// A message a person can act on; it never shows a password or a URL's user information.
    public var description: String {
        switch self {
        case .unreadable(let path, let reason): "\(path): cannot read the client configuration: \(reason)"
        case .invalidProxy(let path, let line, let reason): "\(path):\(line): \(reason)"
        }
    }
}
