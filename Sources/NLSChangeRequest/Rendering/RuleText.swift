import NLSProbeCore

/// Escaping for the text the rule renderers write from a report (untrusted: names, reasons and
/// check ids come from a file): Markdown, CSV and nftables comments.
enum RuleText {
    /// One line: line breaks and tabs as spaces, other control characters as `\u{…}`.
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

    /// Text in a Markdown table cell or paragraph: special characters backslash-escaped, `<`, `>`
    /// and `&` as entities.
    static func markdown(_ text: String) -> String {
        var out = ""
        for scalar in flattened(text).unicodeScalars {
            switch scalar {
            case "\\", "`", "|", "[", "]", "*", "_": out += "\\" + String(scalar)
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A code span in a table cell: the fence longer than any run of backticks inside, `|` escaped.
    static func code(_ text: String) -> String {
        let body = flattened(text).replacingOccurrences(of: "|", with: "\\|")
        var longest = 0
        var run = 0
        for character in body {
            run = character == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        let fence = String(repeating: "`", count: longest + 1)
        return fence + (longest > 0 ? " \(body) " : body) + fence
    }

    /// A CSV field: always quoted, quotes doubled; a leading `=`, `+`, `-` or `@` gets a `'` so a
    /// spreadsheet does not run it as a formula.
    static func csv(_ text: String) -> String {
        var value = flattened(text)
        if let first = value.first, "=+-@".contains(first) { value = "'" + value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Text for an nftables `#` comment line: printable ASCII only (anything else as '?'), so a
    /// name from the report can neither end the comment nor add a command.
    static func nftComment(_ text: String) -> String {
        String(
            String.UnicodeScalarView(
                text.unicodeScalars.map { (0x20...0x7E).contains($0.value) ? $0 : "?" }))
    }
}
