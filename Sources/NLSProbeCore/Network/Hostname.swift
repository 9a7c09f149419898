/// Host name syntax (RFC 1123, with underscores tolerated as seen in internal DNS).
public enum Hostname {
    /// True for a syntactically valid host name: dot-separated labels of 1 to 63 ASCII letters,
    /// digits, '-' or '_', not starting or ending with '-', at most 253 bytes, not all digits and dots.
    public static func isValid(_ name: String) -> Bool {
        var bytes = Array(name.utf8)
        if bytes.last == UInt8(ascii: ".") { bytes.removeLast() }
        guard !bytes.isEmpty, bytes.count <= 253 else { return false }
        var labelLength = 0
        var previous: UInt8 = UInt8(ascii: ".")
        var onlyDigitsAndDots = true
        for byte in bytes {
            if byte == UInt8(ascii: ".") {
                guard labelLength > 0, previous != UInt8(ascii: "-") else { return false }
                labelLength = 0
            } else {
                let letter = (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                let digit = (0x30...0x39).contains(byte)
                guard letter || digit || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") else { return false }
                if byte == UInt8(ascii: "-") && labelLength == 0 { return false }
                if !digit { onlyDigitsAndDots = false }
                labelLength += 1
                guard labelLength <= 63 else { return false }
            }
            previous = byte
        }
        return labelLength > 0 && previous != UInt8(ascii: "-") && !onlyDigitsAndDots
    }
}
