/// Text in the fixed-size `char` arrays of the C shim's structs, which Swift imports as tuples.
enum CText {
    /// The bytes of `array` up to its first NUL, as UTF-8 (invalid bytes repaired).
    static func string<T>(_ array: T) -> String {
        withUnsafeBytes(of: array) { bytes in String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self) }
    }

    /// The bytes of a C buffer up to its first NUL, as UTF-8 (invalid bytes repaired).
    static func string(_ buffer: [CChar]) -> String {
        buffer.withUnsafeBytes { bytes in String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self) }
    }
}
