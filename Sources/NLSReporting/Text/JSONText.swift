/// JSON text in the layout Foundation's `JSONEncoder` gives with `.prettyPrinted`, `.sortedKeys` and
/// `.withoutEscapingSlashes`: two-space indents, `"key" : value`, empty containers as `[` blank line `]`,
/// whole doubles without `.0`.
///
/// The report is written with it instead of `JSONEncoder`, which spent most of a 2,000-check run's
/// time and a large share of its memory building a tree of boxed values. Writers call `key` in sorted
/// order; the report model's layout is in `JSONText+Report.swift`, and tests hold it to `JSONEncoder`'s
/// byte for byte and key path by key path.
///
/// The text goes into one buffer of UTF-8 bytes that the writer owns (not an array: a report is
/// tens of thousands of small appends, and each array append checks uniqueness and capacity on its
/// own); strings are copied a run of plain bytes at a time, numbers formatted without a `String`.
struct JSONText: ~Copyable {
    /// The buffer: `count` bytes written, `capacity` allocated.
    private var base: UnsafeMutablePointer<UInt8>
    /// Bytes of text so far.
    private(set) var count = 0
    private var capacity: Int
    /// Open containers.
    private var depth = 0
    /// Bit `d` set while the container open at depth `d` has no member yet. A report nests about
    /// seven levels deep; past 63 levels the bit is lost and a first member gets a comma.
    private var emptyBits: UInt64 = 0

    /// Bytes allocated past `capacity`: a write may store whole 8-byte words of spaces there
    /// (`spaces`) before `count` moves past them, without a test per byte.
    private static let slack = 16

    init(capacity: Int = 0) {
        self.capacity = max(capacity, 1024)
        base = .allocate(capacity: self.capacity + Self.slack)
    }

    deinit { base.deallocate() }

    mutating func beginObject() { open(UInt8(ascii: "{")) }

    mutating func endObject() { close(UInt8(ascii: "}")) }

    mutating func beginArray() { open(UInt8(ascii: "[")) }

    mutating func endArray() { close(UInt8(ascii: "]")) }

    /// Starts a member of the open object; its value follows. The comma, line break, indent,
    /// quoted name and `" : "` are written in one go (a report has some sixty keys per check).
    mutating func key(_ name: StaticString) {
        guard name.hasPointerRepresentation else {
            name.withUTF8Buffer { utf8 in
                if let start = utf8.baseAddress { key(start, utf8.count) }
            }
            return
        }
        key(name.utf8Start, name.utf8CodeUnitCount)
    }

    private mutating func key(_ name: UnsafePointer<UInt8>, _ length: Int) {
        let indent = 2 &* depth
        reserve(indent &+ length &+ 7)
        var at = base + count
        let bit = Self.bit(depth)
        if emptyBits & bit == 0 {
            at.pointee = UInt8(ascii: ",")
            at += 1
        } else {
            emptyBits &= ~bit
        }
        at.pointee = UInt8(ascii: "\n")
        JSONBytes.spaces(at + 1, indent)
        at += indent &+ 1
        at.pointee = UInt8(ascii: "\"")
        JSONBytes.copy(name, to: at + 1, length)
        at += length &+ 1
        at[0] = UInt8(ascii: "\"")
        at[1] = UInt8(ascii: " ")
        at[2] = UInt8(ascii: ":")
        at[3] = UInt8(ascii: " ")
        count = at + 4 - base
    }

    /// Starts an element of the open array; its value follows.
    mutating func element() { newMember() }

    mutating func null() { put4(UInt8(ascii: "n"), UInt8(ascii: "u"), UInt8(ascii: "l"), UInt8(ascii: "l")) }

    mutating func bool(_ value: Bool) {
        if value {
            put4(UInt8(ascii: "t"), UInt8(ascii: "r"), UInt8(ascii: "u"), UInt8(ascii: "e"))
        } else {
            put(UInt8(ascii: "f"))
            put4(UInt8(ascii: "a"), UInt8(ascii: "l"), UInt8(ascii: "s"), UInt8(ascii: "e"))
        }
    }

    /// Decimal digits, as `String(value)` writes them.
    mutating func int(_ value: Int) {
        reserve(21)
        if value < 0 {
            base[count] = UInt8(ascii: "-")
            count += 1
        }
        digits(value.magnitude)
    }

    /// Shortest round-trip digits, as `JSONEncoder` writes them ("20" for 20.0, "1e-07").
    mutating func double(_ value: Double) {
        // JSON has no NaN or infinity: such a value (never measured, only computed) is written as
        // the nearest finite number so that the report stays valid JSON.
        let finite = value.isNaN ? 0 : max(-Double.greatestFiniteMagnitude, min(Double.greatestFiniteMagnitude, value))
        // The report's durations are milliseconds to 0.1 ms: such a value under 10^9 is written
        // as its tenths ("137.7", "20"), the digits `description` gives it (the shortest that
        // read back as the same double: one decimal is as short as a tenth can be).
        let magnitude = finite.magnitude
        if magnitude < 1e9, !(finite == 0 && finite.sign == .minus) {
            let tenths = (magnitude * 10).rounded()
            if tenths / 10 == magnitude {
                let whole = UInt(tenths)
                reserve(21)
                if finite < 0 {
                    base[count] = UInt8(ascii: "-")
                    count += 1
                }
                digits(whole / 10)
                if whole % 10 != 0 {
                    put(UInt8(ascii: "."))
                    put(UInt8(ascii: "0") + UInt8(whole % 10))
                }
                return
            }
        }
        var text = finite.description
        text.withUTF8 { utf8 in
            let length = utf8.count
            let dropped =
                length >= 2 && utf8[length - 2] == UInt8(ascii: ".") && utf8[length - 1] == UInt8(ascii: "0")
            put(UnsafeBufferPointer(rebasing: utf8[..<(dropped ? length - 2 : length)]))
        }
    }

    mutating func string(_ value: String) {
        let done: Void? = value.utf8.withContiguousStorageIfAvailable { quoted($0) }
        if done == nil {
            var copy = value
            copy.withUTF8 { quoted($0) }
        }
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
        emit(UnsafeRawBufferPointer(start: base, count: count))
        count = 0
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
        text.withUTF8Buffer { put($0) }
    }

    // MARK: - The buffer

    /// Makes room for `extra` more bytes.
    @inline(__always)
    private mutating func reserve(_ extra: Int) {
        if count + extra > capacity { grow(to: count + extra) }
    }

    private mutating func grow(to needed: Int) {
        var larger = capacity * 2
        while larger < needed { larger *= 2 }
        let moved = UnsafeMutablePointer<UInt8>.allocate(capacity: larger + Self.slack)
        moved.initialize(from: base, count: count)
        base.deallocate()
        base = moved
        capacity = larger
    }

    @inline(__always)
    private mutating func put(_ byte: UInt8) {
        reserve(1)
        base[count] = byte
        count += 1
    }

    @inline(__always)
    private mutating func put4(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) {
        reserve(4)
        base[count] = a
        base[count + 1] = b
        base[count + 2] = c
        base[count + 3] = d
        count += 4
    }

    private mutating func put(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let start = bytes.baseAddress, bytes.count > 0 else { return }
        reserve(bytes.count)
        (base + count).update(from: start, count: bytes.count)
        count += bytes.count
    }

    /// The decimal digits of `value`; room for 20 bytes is reserved by the caller.
    @inline(__always)
    private mutating func digits(_ value: UInt) {
        if value < 10 {
            base[count] = UInt8(ascii: "0") + UInt8(value)
            count += 1
            return
        }
        var scratch: (UInt64, UInt64, UInt64) = (0, 0, 0)
        let length = withUnsafeMutableBytes(of: &scratch) { raw in
            var rest = value
            var index = raw.count
            while rest > 0 {
                index -= 1
                raw[index] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            }
            let length = raw.count - index
            (base + count).update(
                from: raw.baseAddress.unsafelyUnwrapped.assumingMemoryBound(to: UInt8.self) + index, count: length)
            return length
        }
        count += length
    }

    /// A string in quotes. Most have nothing to escape: eight bytes at a time are looked at for
    /// one, and a string without is copied whole.
    private mutating func quoted(_ utf8: UnsafeBufferPointer<UInt8>) {
        let length = utf8.count
        var plain = 0
        if let start = utf8.baseAddress {
            let raw = UnsafeRawPointer(start)
            while plain + 8 <= length
                && !JSONBytes.mayNeedEscape(raw.loadUnaligned(fromByteOffset: plain, as: UInt64.self))
            {
                plain += 8
            }
            while plain < length && !JSONBytes.needsEscape(start[plain]) { plain += 1 }
        }
        reserve(length + 2)
        base[count] = UInt8(ascii: "\"")
        if plain == length {
            if let start = utf8.baseAddress { JSONBytes.copy(start, to: base + count + 1, length) }
            count += length + 1
        } else {
            count += 1
            escaped(utf8, from: plain)
            reserve(1)
        }
        base[count] = UInt8(ascii: "\"")
        count += 1
    }

    /// The bytes of a string from `first` on with `"`, `\` and control characters escaped
    /// (the bytes before `first` have none); plain runs are copied whole.
    private mutating func escaped(_ utf8: UnsafeBufferPointer<UInt8>, from first: Int) {
        var start = 0
        var index = first
        while index < utf8.count {
            let byte = utf8[index]
            if JSONBytes.needsEscape(byte) {
                put(UnsafeBufferPointer(rebasing: utf8[start..<index]))
                appendEscape(byte)
                start = index + 1
            }
            index += 1
        }
        put(UnsafeBufferPointer(rebasing: utf8[start...]))
    }

    private mutating func appendEscape(_ byte: UInt8) {
        put(UInt8(ascii: "\\"))
        switch byte {
        case 0x22: put(UInt8(ascii: "\""))
        case 0x5C: put(UInt8(ascii: "\\"))
        case 0x08: put(UInt8(ascii: "b"))
        case 0x0C: put(UInt8(ascii: "f"))
        case 0x0A: put(UInt8(ascii: "n"))
        case 0x0D: put(UInt8(ascii: "r"))
        case 0x09: put(UInt8(ascii: "t"))
        default:
            // A control character: \u00XX in lowercase hex, as JSONEncoder writes it.
            let high = byte >> 4
            let low = byte & 0x0F
            put4(UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), UInt8(ascii: "0") + high)
            put(low < 10 ? UInt8(ascii: "0") + low : UInt8(ascii: "a") + low - 10)
        }
    }

    // MARK: - Layout

    private mutating func open(_ bracket: UInt8) {
        put(bracket)
        depth += 1
        emptyBits |= Self.bit(depth)
    }

    /// The comma after the previous member, if any, a line break and the indent.
    private mutating func newMember() {
        let bit = Self.bit(depth)
        let indent = 2 * depth
        reserve(indent + 2)
        if emptyBits & bit == 0 {
            base[count] = UInt8(ascii: ",")
            count += 1
        } else {
            emptyBits &= ~bit
        }
        base[count] = UInt8(ascii: "\n")
        JSONBytes.spaces(base + count + 1, indent)
        count += indent + 1
    }

    private mutating func close(_ bracket: UInt8) {
        let bit = Self.bit(depth)
        let wasEmpty = emptyBits & bit != 0
        emptyBits &= ~bit
        depth = max(depth - 1, 0)
        let indent = 2 * depth
        reserve(indent + 3)
        base[count] = UInt8(ascii: "\n")
        count += 1
        if wasEmpty {
            base[count] = UInt8(ascii: "\n")
            count += 1
        }
        JSONBytes.spaces(base + count, indent)
        count += indent
        base[count] = bracket
        count += 1
    }

    /// The bit for containers at `depth` (none past 63 levels).
    @inline(__always)
    private static func bit(_ depth: Int) -> UInt64 { depth < 64 ? 1 << UInt64(depth) : 0 }
}
