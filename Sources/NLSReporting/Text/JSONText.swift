/// JSON text in the layout Foundation's `JSONEncoder` gives with `.prettyPrinted`, `.sortedKeys` and
/// `.withoutEscapingSlashes`: two-space indents, `"key" : value`, empty containers as `[` blank line `]`,
/// whole doubles without `.0`.
///
/// The report is written with it instead of `JSONEncoder`, which spent most of a 2,000-check run's
/// time and a large share of its memory building a tree of boxed values. Writers call `key` in sorted
/// order; the report model's layout is in `JSONText+Report.swift`, and tests hold it to `JSONEncoder`'s
/// byte for byte and key path by key path.
struct JSONText {
    /// The text so far, UTF-8.
    private(set) var bytes: [UInt8] = []
    /// One entry per open container: true until its first member is written.
    private var empty: [Bool] = []

    init(capacity: Int = 0) {
        bytes.reserveCapacity(capacity)
    }

    mutating func beginObject() {
        bytes.append(UInt8(ascii: "{"))
        empty.append(true)
    }

    mutating func endObject() { close(UInt8(ascii: "}")) }

    mutating func beginArray() {
        bytes.append(UInt8(ascii: "["))
        empty.append(true)
    }

    mutating func endArray() { close(UInt8(ascii: "]")) }

    /// Starts a member of the open object; its value follows.
    mutating func key(_ name: StaticString) {
        newMember()
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        raw("\" : ")
    }

    /// Starts an element of the open array; its value follows.
    mutating func element() { newMember() }

    mutating func null() { bytes.append(contentsOf: "null".utf8) }

    mutating func bool(_ value: Bool) { bytes.append(contentsOf: (value ? "true" : "false").utf8) }

    mutating func int(_ value: Int) { bytes.append(contentsOf: String(value).utf8) }

    /// Shortest round-trip digits, as `JSONEncoder` writes them ("20" for 20.0, "1e-07").
    mutating func double(_ value: Double) {
        // JSON has no NaN or infinity: such a value (never measured, only computed) is written as
        // the nearest finite number so that the report stays valid JSON.
        let finite = value.isNaN ? 0 : max(-Double.greatestFiniteMagnitude, min(Double.greatestFiniteMagnitude, value))
        var text = finite.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        bytes.append(contentsOf: text.utf8)
    }

    mutating func string(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { utf8 in
            var start = 0
            for (index, byte) in utf8.enumerated() where byte < 0x20 || byte == 0x22 || byte == 0x5C {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index]))
                appendEscape(byte)
                start = index + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func string(_ value: String?) {
        if let value { string(value) } else { null() }
    }

    mutating func double(_ value: Double?) {
        if let value { double(value) } else { null() }
    }

    mutating func strings(_ values: [String]) {
        beginArray()
        for value in values {
            element()
            string(value)
        }
        endArray()
    }

    /// Hands the text so far to `emit` and starts afresh, keeping the buffer.
    mutating func drain(to emit: (UnsafeRawBufferPointer) -> Void) {
        bytes.withUnsafeBytes { emit($0) }
        bytes.removeAll(keepingCapacity: true)
    }

    /// A member of the open object: its key, then its value (nil written as null).
    mutating func field(_ name: StaticString, _ value: String?) {
        key(name)
        string(value)
    }

    mutating func field(_ name: StaticString, _ value: Double?) {
        key(name)
        double(value)
    }

    mutating func field(_ name: StaticString, _ value: Int) {
        key(name)
        int(value)
    }

    mutating func field(_ name: StaticString, _ value: Bool) {
        key(name)
        bool(value)
    }

    mutating func field(_ name: StaticString, _ values: [String]) {
        key(name)
        strings(values)
    }

    /// Appends raw text: a newline at the end of a document.
    mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    private mutating func appendEscape(_ byte: UInt8) {
        bytes.append(UInt8(ascii: "\\"))
        switch byte {
        case 0x22: bytes.append(UInt8(ascii: "\""))
        case 0x5C: bytes.append(UInt8(ascii: "\\"))
        case 0x08: bytes.append(UInt8(ascii: "b"))
        case 0x0C: bytes.append(UInt8(ascii: "f"))
        case 0x0A: bytes.append(UInt8(ascii: "n"))
        case 0x0D: bytes.append(UInt8(ascii: "r"))
        case 0x09: bytes.append(UInt8(ascii: "t"))
        default:
            let hex: [UInt8] = Array("0123456789abcdef".utf8)
            bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
            bytes.append(hex[Int(byte >> 4)])
            bytes.append(hex[Int(byte & 0x0F)])
        }
    }

    private mutating func newMember() {
        if empty[empty.count - 1] {
            empty[empty.count - 1] = false
            bytes.append(UInt8(ascii: "\n"))
        } else {
            bytes.append(UInt8(ascii: ","))
            bytes.append(UInt8(ascii: "\n"))
        }
        indent(empty.count)
    }

    private mutating func close(_ bracket: UInt8) {
        let wasEmpty = empty.removeLast()
        bytes.append(UInt8(ascii: "\n"))
        if wasEmpty { bytes.append(UInt8(ascii: "\n")) }
        indent(empty.count)
        bytes.append(bracket)
    }

    /// Spaces to indent with, taken a slice at a time (a report nests five or six levels deep).
    private static let spaces: StaticString = "                                "

    private mutating func indent(_ level: Int) {
        var count = 2 * level
        while count > 0 {
            let chunk = min(count, Self.spaces.utf8CodeUnitCount)
            Self.spaces.withUTF8Buffer { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: $0[..<chunk])) }
            count -= chunk
        }
    }
}
