import NLSProbeCore

/// Text for a terminal: whatever a server, proxy or file put in it, no escape sequence, bell,
/// carriage return or bidirectional override reaches the terminal as such.
public enum TerminalText {
    /// One line of text with every control character shown as `\u{1B}`.
    public static func line(_ text: String) -> String {
        ControlCharacters.neutralised(text)
    }

    /// Text of several lines: line feeds are kept, every other control character is shown as `\u{1B}`.
    public static func lines(_ text: String) -> String {
        ControlCharacters.neutralised(text, keeping: ["\n"])
    }
}
