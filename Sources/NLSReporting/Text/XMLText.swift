import NLSProbeCore

/// Text for the JUnit XML report: escaped for attributes and content, and free of the characters
/// XML 1.0 forbids even as character references (most C0 controls, U+FFFE, U+FFFF), which are
/// shown as `\u{1B}` instead, like every other control character.
public enum XMLText {
    /// The text escaped for an attribute value or element content.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\n": out += "&#10;"
            case "\t", "\r": out += " "
            default:
                if ControlCharacters.isControl(scalar) {
                    out += ControlCharacters.visible(scalar)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
