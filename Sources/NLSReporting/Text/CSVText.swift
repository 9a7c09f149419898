import NLSProbeCore

/// Text for the CSV report (RFC 4180): every field is one line, quoted when it holds a comma, a
/// quote or a space at either end, and can never be taken for a spreadsheet formula.
public enum CSVText {
    /// The characters a spreadsheet reads as the start of a formula (`=1+1`, `+cmd|' /C calc'!A0`,
    /// `-2+3`, `@SUM(…)`). A field starting with one gets a `'` in front (OWASP's advice), which
    /// spreadsheets show as text.
    static let formulaStarts: Set<Unicode.Scalar> = ["=", "+", "-", "@"]

    /// One field: line breaks and tabs become spaces, other control characters are shown as
    /// `\u{1B}`, a leading formula character gets a `'` in front, and the field is quoted
    /// (`"` doubled) when it holds `,`, `"`, `;` or starts or ends with a space.
    public static func field(_ text: String) -> String {
        var value = ScalarEscaping.apply(text) { scalar in
            switch scalar {
            case "\n", "\r", "\t": " "
            default: ControlCharacters.isControl(scalar) ? ControlCharacters.visible(scalar) : nil
            }
        }
        if let first = value.unicodeScalars.first, formulaStarts.contains(first) {
            value = "'" + value
        }
        let needsQuotes =
            value.contains { $0 == "," || $0 == "\"" || $0 == ";" } || value.hasPrefix(" ")
            || value.hasSuffix(" ")
        guard needsQuotes else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// One record: the fields escaped, joined by commas, ended by CRLF as RFC 4180 says.
    public static func record(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\r\n"
    }
}
