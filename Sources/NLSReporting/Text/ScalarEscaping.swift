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
}
