import NLSProbeCore

/// Text for the Markdown reports: untrusted text can neither break a table, open a code span,
/// a link or an HTML tag, start a new line, nor carry control characters.
public enum MarkdownText {
    /// Plain text inside a paragraph, a list item or a table cell: Markdown's special characters
    /// are backslash-escaped, `<`, `>` and `&` become entities, line breaks become spaces.
    public static func inline(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in flattened(text).unicodeScalars {
            switch scalar {
            case "\\", "`", "|", "[", "]":
                out.append("\\")
                out.unicodeScalars.append(scalar)
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A code span holding `text` literally: the fence is longer than any run of backticks inside,
    /// line breaks become spaces, and in a table cell `|` is escaped (tables are split before code spans).
    public static func code(_ text: String, inTable: Bool = false) -> String {
        var body = flattened(text)
        if inTable { body = body.replacingOccurrences(of: "|", with: "\\|") }
        var longest = 0
        var run = 0
        for character in body {
            run = character == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        let fence = String(repeating: "`", count: longest + 1)
        let padded = longest > 0 || body.hasPrefix(" ") && body.hasSuffix(" ") ? " \(body) " : body
        return fence + padded + fence
    }

    /// One line: line feeds, carriage returns and tabs become spaces, other control characters
    /// are shown as `\u{1B}`.
    static func flattened(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n", "\r", "\t", "\u{2028}", "\u{2029}", "\u{85}": out.append(" ")
            default:
                if ControlCharacters.isControl(scalar) {
                    out.append(contentsOf: ControlCharacters.visible(scalar).unicodeScalars)
                } else {
                    out.append(scalar)
                }
            }
        }
        return String(out)
    }
}
