/// Text for the JUnit XML report: escaped for attributes and content, and free of the characters
/// XML 1.0 forbids even as character references (most C0 controls, U+FFFE, U+FFFF), which are
/// shown as `\u{1B}` instead, like every other control character.
public enum XMLText {
    /// The text escaped for an attribute value or element content: `& < > " '` become entities, a
    /// line feed `&#10;`, a carriage return and a tab spaces.
    public static func escape(_ text: String) -> String {
        ScalarEscaping.markup(text, apostrophe: "&apos;", lineFeed: "&#10;")
    }
}
