/// Credentials never reach a message, report or file name: URLs with a user part are shown without it.
public enum Credentials {
    /// `text` with the user part of every URL in it (`scheme://user:password@host`) replaced by `***`.
    public static func redacted(_ text: String) -> String {
        guard text.contains("://"), text.contains("@") else { return text }
        var out = ""
        var rest = Substring(text)
        while let scheme = rest.range(of: "://") {
            out += rest[..<scheme.upperBound]
            rest = rest[scheme.upperBound...]
            // Up to the last '@' before white space: a password may hold '/', '?' or '#', so the
            // authority's usual end is not trusted (redacting a path's '@' too is the safe side).
            let end = rest.firstIndex(where: \.isWhitespace) ?? rest.endIndex
            if let at = rest[..<end].lastIndex(of: "@") {
                out += "***"
                rest = rest[at...]
            }
        }
        return out + rest
    }
}
