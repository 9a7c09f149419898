import Foundation

/// Keeps credentials out of messages, reports and terminal text: the one redactor of the tool.
///
/// Messages about one value (a profile's proxy, a gridd.conf setting) use ``url(_:limit:)`` and
/// ``value(_:ofKey:)``, which write ``placeholder`` and quote the result as a bounded excerpt;
/// reports and terminal text use ``urls(in:placeholder:)``, which redacts every URL of a longer
/// text with ``reportPlaceholder`` and leaves everything else as it is.
public enum Redaction {
    /// What stands in place of a secret in messages about one value.
    public static let placeholder = "<redacted>"

    /// What stands in place of a URL's user information in reports and terminal text.
    public static let reportPlaceholder = "***"

    /// The URL or address with any user information (`user:password@`) replaced by `<redacted>@`,
    /// then quoted as a bounded excerpt: "http://<redacted>@proxy:3128".
    public static func url(_ text: String, limit: Int = Excerpt.defaultLimit) -> String {
        let schemeEnd = text.range(of: "://")?.upperBound ?? text.startIndex
        guard let at = userInformationEnd(in: text[schemeEnd...]) else {
            return Excerpt.quote(text, limit: limit)
        }
        let redacted = String(text[..<schemeEnd]) + placeholder + String(text[at...])
        return Excerpt.quote(redacted, limit: limit)
    }

    /// `text` with the user information of every URL in it (`scheme://user:password@host`)
    /// replaced by `placeholder`: "via http://***@proxy:3128". Only URLs with a scheme are
    /// redacted; the text is neither quoted nor shortened, and text without "://" and "@" comes
    /// back as it is.
    public static func urls(in text: String, placeholder: String = reportPlaceholder) -> String {
        guard text.contains("://"), text.contains("@") else { return text }
        var out = ""
        var rest = Substring(text)
        while let scheme = rest.range(of: "://") {
            out += rest[..<scheme.upperBound]
            rest = rest[scheme.upperBound...]
            if let at = userInformationEnd(in: rest) {
                out += placeholder
                rest = rest[at...]
            }
        }
        return out + rest
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

    /// Where the user information of the authority starting `rest` ends: its last '@' before
    /// white space; nil when there is none. A password may hold '/', '?' or '#', so the
    /// authority's usual end is not trusted (redacting a path's '@' too is the safe side).
    private static func userInformationEnd(in rest: Substring) -> Substring.Index? {
        let authorityEnd = rest.firstIndex(where: \.isWhitespace) ?? rest.endIndex
        return rest[..<authorityEnd].lastIndex(of: "@")
    }
}
