/// Characters a remote party can use to take over a terminal or spoof a document: C0 and C1
/// controls, DEL, bidirectional overrides and line separators. Every text sanitiser shows them
/// in the visible `\u{1B}` form instead of passing them on.
public enum ControlCharacters {
    /// True for C0 controls (tab, line feed and carriage return included), DEL, C1 controls, the
    /// bidirectional formatting characters, the Unicode line and paragraph separators, the byte
    /// order mark and the noncharacters U+FFFE and U+FFFF.
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: true
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: true
        case 0x2028, 0x2029, 0xFEFF, 0xFFFE, 0xFFFF: true
        default: false
        }
    }

    /// The visible form of a character: `\u{1B}` for ESC, `\u{202E}` for a right-to-left override.
    public static func visible(_ scalar: Unicode.Scalar) -> String {
        "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
    }

    /// The text with every control character in its visible form; `keep` lists the ones left as they are.
    public static func neutralised(_ text: String, keeping keep: Set<Unicode.Scalar> = []) -> String {
        guard text.unicodeScalars.contains(where: { isControl($0) && !keep.contains($0) }) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if isControl(scalar) && !keep.contains(scalar) {
                out.append(contentsOf: visible(scalar).unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }
}
