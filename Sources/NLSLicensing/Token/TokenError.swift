import Foundation

/// Why a client configuration token could not be read.
public enum TokenError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file could not be read.
    case unreadable(path: String, reason: String)
    /// Larger than any real token: not decoded.
    case tooLarge(bytes: Int, limit: Int)
    /// Not header.payload.signature.
    case notCompactJWS(parts: Int)
    /// A part is not base64url.
    case badBase64(part: String)
    /// A part is not a JSON object.
    case notJSON(part: String, detail: String)
    /// A required field is missing.
    case missing(field: String)
    /// A field has the wrong type.
    case wrongType(field: String, expected: String)
    /// An index points at nothing.
    case danglingIndex(field: String, value: Int)
    /// A value is out of range.
    case invalidValue(field: String, detail: String)

    /// A message a person can act on.
    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            "\(path): cannot read the token: \(Self.withoutPath(reason, path)); give the path of a client configuration token (a .tok file)"
        case .tooLarge(let bytes, let limit):
            "the token is \(bytes) bytes, more than any client configuration token (limit \(limit)); is this the right file?"
        case .notCompactJWS(let parts):
            "not a client configuration token: expected three dot-separated parts (header.payload.signature), found \(parts)"
        case .badBase64(let part): "the token's \(part) is not base64url"
        case .notJSON(let part, let detail): "the token's \(part) is not a JSON object: \(detail)"
        case .missing(let field): "the token has no '\(field)'"
        case .wrongType(let field, let expected): "the token's '\(field)' is not \(expected)"
        case .danglingIndex(let field, let value):
            "the token's '\(field)' is \(value), which points at no port set (no svc_port_set_list entry has that idx)"
        case .invalidValue(let field, let detail): "the token's '\(field)' is invalid: \(detail)"
        }
    }

    /// The message for the token file `file`, naming the file once: errors about reading it
    /// already start with its path, errors about its content get it as a prefix.
    public func message(file: String) -> String {
        if case .unreadable = self { return description }
        return "\(file): \(description)"
    }

    /// A reason from the file reader, without the path it may start with (the message names it).
    static func withoutPath(_ reason: String, _ path: String) -> String {
        for prefix in ["\(path): ", path + ":"] where reason.hasPrefix(prefix) {
            return String(reason.dropFirst(prefix.count)).trimmingCharacters(in: .whitespaces)
        }
        return reason
    }
}
