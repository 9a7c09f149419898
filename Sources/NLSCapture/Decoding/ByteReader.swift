/// Bounds-checked big-endian reading.
struct ByteReader {
    private let data: [UInt8]
    private var position = 0

    init(_ data: [UInt8]) { self.data = data }

    var count: Int { data.count - position }
    var rest: [UInt8] { Array(data[position...]) }

    mutating func skip(_ n: Int) -> Bool {
        guard n >= 0, position + n <= data.count else { return false }
        position += n
        return true
    }

    mutating func u8() -> UInt8? {
        guard position < data.count else { return nil }
        defer { position += 1 }
        return data[position]
    }

    mutating func u16() -> UInt16? {
        guard position + 2 <= data.count else { return nil }
        defer { position += 2 }
        return UInt16(data[position]) << 8 | UInt16(data[position + 1])
    }

    mutating func bytes(_ n: Int) -> [UInt8]? {
        guard position + n <= data.count else { return nil }
        defer { position += n }
        return Array(data[position..<position + n])
    }
}
