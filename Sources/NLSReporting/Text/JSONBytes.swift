/// The byte-level work of ``JSONText``: copying short runs, indents and telling which bytes of a
/// string JSON escapes, eight bytes at a time.
enum JSONBytes {
    /// True for a byte JSON escapes: `"`, `\` or a control character.
    @inline(__always)
    static func needsEscape(_ byte: UInt8) -> Bool { byte < 0x20 || byte == 0x22 || byte == 0x5C }

    /// True when one of the eight bytes of `word` may need escaping (never false when one does).
    @inline(__always)
    static func mayNeedEscape(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        // A byte under 0x20; a byte equal to 0x22, or to 0x5C (a zero byte after the XOR).
        let control = (word &- ones &* 0x20) & ~word & highs
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        let equal = ((quote &- ones) & ~quote | (backslash &- ones) & ~backslash) & highs
        return control | equal != 0
    }

    /// Copies `length` bytes; a short run (a key, most strings) as a few overlapping words
    /// rather than through a call to `memmove`.
    @inline(__always)
    static func copy(_ source: UnsafePointer<UInt8>, to target: UnsafeMutablePointer<UInt8>, _ length: Int) {
        let from = UnsafeRawPointer(source)
        let to = UnsafeMutableRawPointer(target)
        if length > 32 {
            to.copyMemory(from: from, byteCount: length)
        } else if length >= 8 {
            var offset = 0
            while offset &+ 8 < length {
                to.storeBytes(
                    of: from.loadUnaligned(fromByteOffset: offset, as: UInt64.self), toByteOffset: offset,
                    as: UInt64.self)
                offset &+= 8
            }
            let last = length &- 8
            to.storeBytes(
                of: from.loadUnaligned(fromByteOffset: last, as: UInt64.self), toByteOffset: last, as: UInt64.self)
        } else if length >= 4 {
            to.storeBytes(of: from.loadUnaligned(as: UInt32.self), as: UInt32.self)
            let last = length &- 4
            to.storeBytes(
                of: from.loadUnaligned(fromByteOffset: last, as: UInt32.self), toByteOffset: last, as: UInt32.self)
        } else {
            for index in 0..<length { target[index] = source[index] }
        }
    }

    /// `width` spaces at `target`, written as whole 8-byte words: up to 7 bytes past them are
    /// written too: the caller has room for them (``JSONText`` allocates 16 bytes past its capacity).
    @inline(__always)
    static func spaces(_ target: UnsafeMutablePointer<UInt8>, _ width: Int) {
        let raw = UnsafeMutableRawPointer(target)
        var offset = 0
        while offset < width {
            raw.storeBytes(of: 0x2020_2020_2020_2020 as UInt64, toByteOffset: offset, as: UInt64.self)
            offset += 8
        }
    }
}
