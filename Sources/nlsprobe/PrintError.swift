import NLSReporting

/// Prints to standard error; control characters (from a server, a proxy or a file) are shown as `\u{1B}`
/// and the user part of any URL (`user:password@`) as `***`.
func printError(_ message: String) {
    let safe = TerminalText.lines(Credentials.redacted(message))
    StandardStream.error.write("nlsprobe: " + safe + "\n")
}
