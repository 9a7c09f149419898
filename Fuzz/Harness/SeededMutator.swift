/// A deterministic mutation generator for the in-suite fuzz run: the same seed gives the same
/// inputs on every machine, so a crash it finds is reproduced by running it again.
///
/// Mutations: byte flips, random bytes, insertion of interesting values (huge and negative
/// numbers, NaN, control characters, escape sequences, very long strings, deep nesting),
/// deletion, duplication, truncation, and splicing with another corpus input.
public struct SeededMutator: Sendable {
    private var state: UInt64

    /// Creates a generator; equal seeds give equal sequences.
    public init(seed: UInt64) {
        state = seed
    }

    /// The next 64 random bits (SplitMix64).
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `0..<bound` (0 when `bound` is not positive).
    public mutating func below(_ bound: Int) -> Int {
        bound <= 0 ? 0 : Int(next() % UInt64(bound))
    }

    /// Values that break parsers and renderers: numbers past every integer and float limit,
    /// special floats, control characters, terminal escapes, markup, path traversal, YAML and
    /// JSON structure.
    public static let interestingValues: [String] = [
        "1e308", "-1e308", "1e309", "1.7976931348623157e308", "4.9e-324", "1e-400", "18446744073709551616",
        "18446744073709551615", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
        "-9223372036854775809", "99999999999999999999999999999999", "-1", "-0", "0", "0.5", "65536", "65535",
        "4294967296", "2147483648", "NaN", "nan", ".nan", "Infinity", "-Infinity", ".inf", "-.inf", "1e", "0x7fffffff",
        "null", "true", "false", "~", "\"\"", "''", "[]", "{}", "[[[[", "{{{{", "]]]]", "}}}}", ":", ",", "- ", "? ",
        "&a ", "*a", "!!binary ", "!!str ", "<<: ", "---\n", "...\n", "#", "|\n", ">\n", "\\u0000", "\\ud800",
        "\u{0}", "\u{7}", "\u{8}", "\u{1B}[2J", "\u{1B}]0;pwned\u{7}", "\u{1B}[31m", "\r", "\n", "\r\n", "\t",
        "\u{FEFF}", "\u{202E}", "\u{FFFD}", "\u{10FFFF}", "|", "<script>", "&amp;", "]]>", "`", "*", "_", "%",
        "%s%n", "../../../../tmp/x", "/", "=", "==", "http://", "http://user:S3cr3tPW@host", "127.0.0.1:3128",
        "[::1]", "::", "255.255.255.255", "0.0.0.0/0", "10.0.0.0/8", "::/0", "1-65535", "0-0", "65535-1",
    ]

    /// Bytes that are one byte long and often decide a parser's path.
    static let interestingBytes: [UInt8] = [
        0x00, 0x01, 0x02, 0x04, 0x06, 0x08, 0x0A, 0x10, 0x11, 0x12, 0x14, 0x15,
        0x16, 0x1F, 0x20, 0x22, 0x2C, 0x2E, 0x3A, 0x3C, 0x3F, 0x40, 0x45, 0x4F, 0x5B, 0x5C, 0x60, 0x7B, 0x7F, 0x80,
        0x86, 0xC0, 0xDD, 0xEF, 0xFE, 0xFF,
    ]

    /// A mutation of `input`; `corpus` supplies splice partners. The result is at most
    /// `maxLength` bytes.
    public mutating func mutate(_ input: [UInt8], corpus: [[UInt8]], maxLength: Int) -> [UInt8] {
        var bytes = input
        let rounds = 1 + below(4)
        for _ in 0..<rounds {
            mutateOnce(&bytes, corpus: corpus, maxLength: maxLength)
        }
        if bytes.count > maxLength { bytes.removeLast(bytes.count - maxLength) }
        return bytes
    }

    private mutating func mutateOnce(_ bytes: inout [UInt8], corpus: [[UInt8]], maxLength: Int) {
        let position = below(bytes.count + 1)
        switch below(13) {
        case 0 where !bytes.isEmpty:  // flip a bit
            bytes[min(position, bytes.count - 1)] ^= UInt8(1) << UInt8(below(8))
        case 1 where !bytes.isEmpty:  // a random byte
            bytes[min(position, bytes.count - 1)] = UInt8(truncatingIfNeeded: next())
        case 2 where !bytes.isEmpty:  // an interesting byte
            bytes[min(position, bytes.count - 1)] = Self.interestingBytes[below(Self.interestingBytes.count)]
        case 3, 4:  // insert an interesting value
            bytes.insert(
                contentsOf: Array(Self.interestingValues[below(Self.interestingValues.count)].utf8), at: position)
        case 5:  // replace a number or word with an interesting value
            replaceToken(&bytes, at: position)
        case 6 where !bytes.isEmpty:  // delete a run
            let end = min(bytes.count, position + 1 + below(16))
            if position < end { bytes.removeSubrange(position..<end) }
        case 7:  // truncate
            bytes.removeLast(bytes.count - position)
        case 8 where !bytes.isEmpty:  // duplicate a run
            let start = min(position, bytes.count - 1)
            let end = min(bytes.count, start + 1 + below(64))
            bytes.insert(contentsOf: Array(bytes[start..<end]), at: below(bytes.count + 1))
        case 9:  // splice with another input
            guard let other = corpus.isEmpty ? nil : corpus[below(corpus.count)], !other.isEmpty else { return }
            let cut = below(other.count)
            bytes = Array(bytes.prefix(position)) + Array(other[cut...])
        case 10:  // a long string
            let length = [256, 4_096, maxLength / 2][below(3)]
            let unit = ["A", "9", "\u{1B}", "\\", "é", "\""][below(6)]
            bytes.insert(contentsOf: Array(String(repeating: unit, count: length).utf8), at: position)
        case 11:  // deep nesting
            let depth = [64, 600, 1_100, 5_000][below(4)]
            let (open, close) = [("[", "]"), ("{\"a\":", "}"), ("- ", ""), ("a:\n ", ""), ("[", "")][below(5)]
            let nested = String(repeating: open, count: depth) + "1" + String(repeating: close, count: depth)
            bytes.insert(contentsOf: Array(nested.utf8), at: position)
        default:  // a random 16-bit value in big-endian order (lengths, ports, ether types)
            let value = UInt16(truncatingIfNeeded: next())
            let pair = [UInt8(value >> 8), UInt8(value & 0xFF)]
            if position + 2 <= bytes.count {
                bytes.replaceSubrange(position..<position + 2, with: pair)
            } else {
                bytes.insert(contentsOf: pair, at: position)
            }
        }
    }

    /// Replaces the run of digits or letters around `position` with an interesting value.
    private mutating func replaceToken(_ bytes: inout [UInt8], at position: Int) {
        func isWord(_ byte: UInt8) -> Bool {
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-")
        }
        guard !bytes.isEmpty else { return }
        var start = min(position, bytes.count - 1)
        var end = start
        while start > 0 && isWord(bytes[start - 1]) { start -= 1 }
        while end < bytes.count && isWord(bytes[end]) { end += 1 }
        let value = Array(Self.interestingValues[below(Self.interestingValues.count)].utf8)
        bytes.replaceSubrange(start..<end, with: value)
    }
}
