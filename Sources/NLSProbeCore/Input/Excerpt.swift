/// Short, safe excerpts of untrusted text for messages: bounded in length, control characters
/// shown as escapes so nothing reaches the terminal raw.
public enum Excerpt {
    /// The longest excerpt messages quote, in characters (before the ellipsis).
    public static let defaultLimit = 80

    /// `text` with control characters (C0, DEL, C1, bidirectional overrides) written as `\u{1B}`
    /// and cut to `limit` characters, with "…" when cut.
    public static func quote<S: StringProtocol>(_ text: S, limit: Int = defaultLimit) -> String {
        var result = ""
        var length = 0
        for scalar in text.unicodeScalars {
            let piece = isControl(scalar) ? ControlCharacters.visible(scalar) : String(scalar)
            if length + piece.count > limit {
                return result + "…"
            }
            result += piece
            length += piece.count
        }
        return result
    }

    /// True for scalars that steer a terminal or reorder text: ``ControlCharacters/isControl(_:)``,
    /// the one definition every sanitiser shares.
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool { ControlCharacters.isControl(scalar) }

    /// The first control character of `text` (tab and line feed allowed when `allowingLayout`), if any.
    public static func firstControl<S: StringProtocol>(in text: S, allowingLayout: Bool = false) -> Unicode.Scalar? {
        text.unicodeScalars.first { scalar in
            if allowingLayout && (scalar == "\t" || scalar == "\n") { return false }
            return isControl(scalar)
        }
    }
}
