import NLSProbeCore

/// Text for the Markdown reports: untrusted text can neither break a table, open a code span,
/// a link or an HTML tag, start a new line, nor carry control characters.
public enum MarkdownText {
    /// Plain text inside a paragraph, a list item or a table cell: Markdown's special characters
    /// are backslash-escaped, `<`, `>` and `&` become entities, line breaks become spaces.
    public static func inline(_ text: String) -> String {
        ScalarEscaping.apply(flattened(text)) { scalar in
            switch scalar {
            case "\\", "`", "|", "[", "]": "\\" + String(scalar)
            case "<": "&lt;"
            case ">": "&gt;"
            case "&": "&amp;"
            default: nil
            }
        }
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
        ScalarEscaping.apply(text) { scalar in
            switch scalar {
            case "\n", "\r", "\t", "\u{2028}", "\u{2029}", "\u{85}": " "
            default: ControlCharacters.isControl(scalar) ? ControlCharacters.visible(scalar) : nil
            }
        }
    }
}
