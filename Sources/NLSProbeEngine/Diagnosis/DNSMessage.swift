/// A DNS query and the parts of a response the diagnosis reads (RFC 1035), with strict bounds:
/// every length and offset checked, compression pointers only backwards and at most 64 of them,
/// names at most 255 bytes, at most 64 answer records. Nothing from the wire is trusted.
public enum DNSMessage {
    /// Record types asked.
    public enum RecordType: UInt16, Sendable {
        /// IPv4 addresses.
        case a = 1
        /// IPv6 addresses.
        case aaaa = 28

        /// "A" or "AAAA".
        public var name: String { self == .a ? "A" : "AAAA" }
    }

    /// What a response says.
    public struct Response: Sendable, Equatable {
        /// The query id it answers.
        public var id: UInt16
        /// The response code (0 NOERROR, 2 SERVFAIL, 3 NXDOMAIN, 5 REFUSED).
        public var rcode: Int
        /// The truncation bit (the answer did not fit a datagram).
        public var truncated: Bool
        /// The addresses of the asked type, in order, as text.
        public var addresses: [String]
    }

    /// Why a response cannot be read.
    public enum DecodeError: Error, Equatable {
        /// It ends inside a field.
        case short
        /// It is not a response, or not to a standard query.
        case notAResponse
        /// A name is malformed (a label too long, a pointer forward or looping, over 255 bytes).
        case badName
        /// It answers another question than the one asked.
        case otherQuestion
    }

    /// A standard query (recursion desired) for `name` and `type`; nil when the name cannot be
    /// written (an empty label, a label over 63 bytes, over 253 bytes in all).
    public static func query(id: UInt16, name: String, type: RecordType) -> [UInt8]? {
        let trimmed = name.hasSuffix(".") ? String(name.dropLast()) : name
        guard !trimmed.isEmpty, trimmed.utf8.count <= 253 else { return nil }
        var bytes: [UInt8] = [UInt8(id >> 8), UInt8(id & 0xff), 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]
        for label in trimmed.split(separator: ".", omittingEmptySubsequences: false) {
            let utf8 = Array(label.utf8)
            guard !utf8.isEmpty, utf8.count <= 63 else { return nil }
            bytes.append(UInt8(utf8.count))
            bytes += utf8
        }
        bytes += [0, UInt8(type.rawValue >> 8), UInt8(type.rawValue & 0xff), 0, 1]
        return bytes
    }

    /// Reads a response to a query for `name` and `type`.
    public static func decode(_ bytes: [UInt8], name: String, type: RecordType) throws(DecodeError) -> Response {
        guard bytes.count >= 12 else { throw .short }
        let id = UInt16(bytes[0]) << 8 | UInt16(bytes[1])
        let flags = Int(bytes[2]) << 8 | Int(bytes[3])
        guard flags & 0x8000 != 0, (flags >> 11) & 0xf == 0 else { throw .notAResponse }
        let questions = Int(bytes[4]) << 8 | Int(bytes[5])
        let answers = min(Int(bytes[6]) << 8 | Int(bytes[7]), 64)
        var offset = 12
        guard questions <= 1 else { throw .otherQuestion }
        if questions == 1 {
            let asked = try readName(bytes, at: &offset)
            guard offset + 4 <= bytes.count else { throw .short }
            let qtype = UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
            offset += 4
            let wanted = (name.hasSuffix(".") ? String(name.dropLast()) : name).lowercased()
            guard asked.lowercased() == wanted, qtype == type.rawValue else { throw .otherQuestion }
        }
        var addresses: [String] = []
        let rcode = flags & 0xf
        for _ in 0..<answers {
            _ = try readName(bytes, at: &offset)
            guard offset + 10 <= bytes.count else { throw .short }
            let rtype = UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
            let rclass = UInt16(bytes[offset + 2]) << 8 | UInt16(bytes[offset + 3])
            let length = Int(bytes[offset + 8]) << 8 | Int(bytes[offset + 9])
            offset += 10
            guard offset + length <= bytes.count else { throw .short }
            let data = Array(bytes[offset..<offset + length])
            offset += length
            guard rclass == 1, rtype == type.rawValue else { continue }
            if type == .a, data.count == 4 {
                addresses.append(data.map(String.init).joined(separator: "."))
            } else if type == .aaaa, data.count == 16, let address = IPv6Text.text(data) {
                addresses.append(address)
            }
        }
        return Response(id: id, rcode: rcode, truncated: flags & 0x0200 != 0, addresses: addresses)
    }

    /// A (possibly compressed) name at `offset`, which moves past it.
    static func readName(_ bytes: [UInt8], at offset: inout Int) throws(DecodeError) -> String {
        var labels: [String] = []
        var position = offset
        var jumped = false
        var jumps = 0
        var length = 0
        while true {
            guard position < bytes.count else { throw .short }
            let byte = Int(bytes[position])
            if byte & 0xc0 == 0xc0 {
                guard position + 1 < bytes.count else { throw .short }
                let target = (byte & 0x3f) << 8 | Int(bytes[position + 1])
                // Only backwards, and few: no loop, no walk through the whole message.
                guard target < position, jumps < 64 else { throw .badName }
                if !jumped { offset = position + 2 }
                jumped = true
                jumps += 1
                position = target
                continue
            }
            guard byte & 0xc0 == 0 else { throw .badName }
            if byte == 0 {
                if !jumped { offset = position + 1 }
                return labels.joined(separator: ".")
            }
            guard position + 1 + byte <= bytes.count else { throw .short }
            length += byte + 1
            guard length <= 255 else { throw .badName }
            labels.append(String(decoding: bytes[(position + 1)...(position + byte)], as: UTF8.self))
            position += 1 + byte
        }
    }
}

/// The text of a 16-byte IPv6 address, compressed as RFC 5952 says.
enum IPv6Text {
    static func text(_ bytes: [UInt8]) -> String? {
        guard bytes.count == 16 else { return nil }
        let groups = stride(from: 0, to: 16, by: 2).map { Int(bytes[$0]) << 8 | Int(bytes[$0 + 1]) }
        var bestStart = -1
        var bestLength = 0
        var start = -1
        for (index, group) in groups.enumerated() {
            if group == 0 {
                if start < 0 { start = index }
                let length = index - start + 1
                if length > bestLength {
                    bestLength = length
                    bestStart = start
                }
            } else {
                start = -1
            }
        }
        let hex = groups.map { String($0, radix: 16) }
        guard bestLength >= 2 else { return hex.joined(separator: ":") }
        let head = hex[..<bestStart].joined(separator: ":")
        let tail = hex[(bestStart + bestLength)...].joined(separator: ":")
        return "\(head)::\(tail)"
    }
}
