import NLSProbeCore

/// Text for the JUnit XML report: escaped for attributes and content, and free of the characters
/// XML 1.0 forbids even as character references (most C0 controls, U+FFFE, U+FFFF), which are
/// shown as `\u{1B}` instead, like every other control character.
public enum XMLText {
    /// The text escaped for an attribute value or element content.
    public static func escape(_ text: String) -> String {
        ScalarEscaping.apply(text) { scalar in
            switch scalar {
            case "&": "&amp;"
            case "<": "&lt;"
            case ">": "&gt;"
            case "\"": "&quot;"
            case "'": "&apos;"
            case "\n": "&#10;"
            case "\t", "\r": " "
            default: ControlCharacters.isControl(scalar) ? ControlCharacters.visible(scalar) : nil
            }
        }
    }
}
