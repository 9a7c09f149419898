import Foundation

/// Keeps credentials out of messages.
public enum Redaction {
    /// What stands in place of a secret.
    public static let placeholder = "<redacted>"

    /// The URL or address with any user information (`user:password@`) replaced by `<redacted>@`,
    /// then quoted as a bounded excerpt: "http://<redacted>@proxy:3128".
    public static func url(_ text: String, limit: Int = Excerpt.defaultLimit) -> String {
        let schemeEnd = text.range(of: "://")?.upperBound ?? text.startIndex
        let rest = text[schemeEnd...]
        // Up to the last '@' before white space: a password may hold '/', '?' or '#', so the
        // authority's usual end is not trusted (redacting a path's '@' too is the safe side).
        let authorityEnd = rest.firstIndex(where: \.isWhitespace) ?? rest.endIndex
        guard let at = rest[..<authorityEnd].lastIndex(of: "@") else {
            return Excerpt.quote(text, limit: limit)
        }
        let redacted = String(text[..<schemeEnd]) + placeholder + String(text[at...])
        return Excerpt.quote(redacted, limit: limit)
    }

    /// True for setting names whose values may be secrets: they contain "pass", "secret", "token"
    /// or "key" (any case), unless they name a file or path ("ClientConfigTokenPath").
    public static func isSensitiveKey(_ key: String) -> Bool {
        let lower = key.lowercased()
        if lower.hasSuffix("path") || lower.hasSuffix("file") || lower.hasSuffix("filepath") { return false }
        return ["pass", "secret", "token", "key", "credential"].contains { lower.contains($0) }
    }

    /// The value as messages may show it: `<redacted>` for a sensitive key, else a bounded excerpt
    /// with any user information in a URL redacted.
    public static func value(_ value: String, ofKey key: String) -> String {
        isSensitiveKey(key) ? placeholder : url(value)
    }
}
