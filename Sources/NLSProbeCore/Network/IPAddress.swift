#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A numeric IPv4 or IPv6 address, kept as its network-order bytes.
public struct IPAddress: Hashable, Sendable, CustomStringConvertible {
    /// 4 bytes for IPv4, 16 for IPv6.
    public let bytes: [UInt8]

    /// Parses a numeric address ("198.18.0.1", "2001:db8::1"); nil for anything else.
    public init?(_ text: String) {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            bytes = withUnsafeBytes(of: &v4) { Array($0) }
            return
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            bytes = withUnsafeBytes(of: &v6) { Array($0) }
            return
        }
        return nil
    }

    /// Builds an address from 4 or 16 bytes.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 4 || bytes.count == 16 else { return nil }
        self.bytes = bytes
    }

    /// True for IPv6 addresses.
    public var isIPv6: Bool { bytes.count == 16 }

    /// The canonical text form.
    public var description: String {
        if bytes.count == 4 { return Self.dottedQuad(bytes) }
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        let family = isIPv6 ? AF_INET6 : AF_INET
        let ok = bytes.withUnsafeBytes { raw in
            inet_ntop(family, raw.baseAddress, &buffer, socklen_t(buffer.count)) != nil
        }
        guard ok else { return bytes.map(String.init).joined(separator: ".") }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// "a.b.c.d" from the first four bytes, as `inet_ntop` writes it, built without it (a run
    /// formats an address for every check, and `inet_ntop` goes through `sprintf`) and without a
    /// heap allocation (at most 15 bytes: a small string).
    @inlinable
    public static func dottedQuad<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> String {
        String(unsafeUninitializedCapacity: 15) { buffer in
            var index = 0
            for (position, byte) in bytes.prefix(4).enumerated() {
                if position > 0 {
                    buffer[index] = UInt8(ascii: ".")
                    index += 1
                }
                if byte >= 100 {
                    buffer[index] = UInt8(ascii: "0") + byte / 100
                    index += 1
                }
                if byte >= 10 {
                    buffer[index] = UInt8(ascii: "0") + byte / 10 % 10
                    index += 1
                }
                buffer[index] = UInt8(ascii: "0") + byte % 10
                index += 1
            }
            return index
        }
    }

    /// The form used inside URLs and host:port strings ("[2001:db8::1]" for IPv6).
    public var urlForm: String { isIPv6 ? "[\(description)]" : description }
}
