/// Text for the HTML report: untrusted text (names, reasons, headers from peers) can neither open
/// a tag, end an attribute, start an entity nor carry control characters.
public enum HTMLText {
    /// The text escaped for element content and for a double- or single-quoted attribute value:
    /// `& < > " '` become entities, line breaks and tabs become spaces, other control characters
    /// are shown as `\u{1B}`.
    public static func escape(_ text: String) -> String {
        ScalarEscaping.markup(text, apostrophe: "&#39;", lineFeed: " ")
    }
}
