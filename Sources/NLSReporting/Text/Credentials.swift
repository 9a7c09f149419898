/// The redactor of NLSReporting: in the text it is given, URLs with a user part
/// (`user:password@`) are shown with `***` in its place.
///
/// The Markdown report (proxy paths, proxy evidence, the run's proxy), the Prometheus `proxy`
/// label, the terminal table's failed checks and the command line's messages go through it; no
/// other code in this module redacts. NLSProbeCore's `Redaction`, which writes `<redacted>`,
/// is a separate redactor for the messages of profiles and probes.
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
