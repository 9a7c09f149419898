import NLSProbeCore

/// The loop the escapers of the formats share: text rewritten one Unicode scalar at a time.
enum ScalarEscaping {
    /// `text` with every scalar for which `replacement` returns a string replaced by that string;
    /// the others are kept as they are.
    static func apply(_ text: String, _ replacement: (Unicode.Scalar) -> String?) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            if let replaced = replacement(scalar) {
                out += replaced
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// `text` escaped for markup (HTML, XML), in element content and in a double- or single-quoted
    /// attribute value: `& < > "` become entities, `'` becomes `apostrophe`, a line feed becomes
    /// `lineFeed`, a carriage return and a tab become spaces, and every other control character is
    /// shown as `\u{1B}`.
    static func markup(_ text: String, apostrophe: String, lineFeed: String) -> String {
        apply(text) { scalar in
            switch scalar {
            case "&": "&amp;"
            case "<": "&lt;"
            case ">": "&gt;"
            case "\"": "&quot;"
            case "'": apostrophe
            case "\n": lineFeed
            case "\r", "\t": " "
            default: ControlCharacters.isControl(scalar) ? ControlCharacters.visible(scalar) : nil
            }
        }
    }
}
