import NLSProbeCore

/// Text for the Jira wiki markup report: untrusted text can neither end a table cell, open a
/// macro (`{color}`, `{code}`, `{html}`), a link or an image, apply a text effect, force a line
/// break nor carry control characters.
public enum JiraText {
    /// Characters that start a text effect (`*bold*`, `_italic_`, `-strike-`, `+under+`, `^sup^`,
    /// `~sub~`, `??cite??`) or an image (`!url!`) when they follow a space or punctuation.
    static let effectMarks: Set<Unicode.Scalar> = ["*", "_", "-", "+", "^", "~", "?", "!"]

    /// The text for a table cell or a paragraph. `|`, `{`, `}`, `[`, `]`, `\` and `&` become
    /// numeric entities (Jira shows them as the character, never as markup; a backslash could
    /// otherwise escape our own escapes or force a line break), an effect mark that could open an
    /// effect (not after a letter or digit) is backslash-escaped, line breaks and tabs become
    /// spaces, other control characters are shown as `\u{1B}` (itself escaped).
    public static func escape(_ text: String) -> String {
        var out = ""
        var previous: Unicode.Scalar?
        for scalar in text.unicodeScalars {
            switch scalar {
            case "|": out += "&#124;"
            case "{": out += "&#123;"
            case "}": out += "&#125;"
            case "[": out += "&#91;"
            case "]": out += "&#93;"
            case "\\": out += "&#92;"
            case "&": out += "&amp;"
            case "\n", "\r", "\t": out += " "
            default:
                if ControlCharacters.isControl(scalar) {
                    // `\u{1B}`, its backslash and braces escaped too (`{1B}` would be a macro).
                    out += escape(ControlCharacters.visible(scalar))
                } else if effectMarks.contains(scalar) && !(previous.map(isWordCharacter) ?? false) {
                    out += "\\" + String(scalar)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
            previous = scalar
        }
        return out
    }

    /// Letters and digits: a text effect does not open right after one ("api-cls", "2026-11").
    static func isWordCharacter(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isAlphabetic || scalar.properties.numericType != nil
    }
}
