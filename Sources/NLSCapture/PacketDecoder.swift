import NLSProbeCore

/// Link-layer header types nlsprobe decodes (libpcap's DLT/LINKTYPE values).
public enum LinkType: Int32, Sendable {
    /// BSD loopback: 4-byte host-order address family.
    case null = 0
    /// Ethernet.
    case ethernet = 1
    /// Raw IP (DLT_RAW as libpcap reports it on Linux).
    case raw = 12
    /// Raw IP (LINKTYPE_RAW).
    case rawIP = 101
    /// OpenBSD loopback: 4-byte network-order address family.
    case loop = 108
    /// Linux cooked capture v1 ("any" device).
    case linuxSLL = 113
    /// Linux cooked capture v2.
    case linuxSLL2 = 276
}

/// The parts of a TLS record that tell how a handshake went.
public enum TLSRecordKind: Sendable, Equatable {
    /// A ClientHello handshake message.
    case clientHello
    /// A ServerHello handshake message.
    case serverHello
    /// An alert record.
    case alert
    /// Any other TLS record.
    case other
}

/// A TCP segment as far as nlsprobe cares.
public struct TCPSegment: Sendable, Equatable {
    /// Source port.
    public var sourcePort: UInt16
    /// Destination port.
    public var destinationPort: UInt16
    /// The flag byte (FIN 0x01, SYN 0x02, RST 0x04, PSH 0x08, ACK 0x10).
    public var flags: UInt8
    /// Bytes of payload captured.
    public var payloadLength: Int
    /// What the payload starts with, when it is a TLS record.
    public var tls: TLSRecordKind?

    /// True for a SYN without ACK.
    public var isSYN: Bool { flags & 0x02 != 0 && flags & 0x10 == 0 }
    /// True for a SYN-ACK.
    public var isSYNACK: Bool { flags & 0x12 == 0x12 }
    /// True for a reset.
    public var isRST: Bool { flags & 0x04 != 0 }
}

/// An ICMP or ICMPv6 error about a packet of ours.
public struct ICMPError: Sendable, Equatable {
    /// ICMP type (3 destination unreachable, 11 time exceeded; ICMPv6 1, 3).
    public var type: UInt8
    /// ICMP code (13 administratively prohibited, ...).
    public var code: UInt8
    /// True for ICMPv6.
    public var isV6: Bool
    /// The offending packet's addresses and ports, from the quoted header.
    public var quoted: (source: IPAddress, destination: IPAddress, sourcePort: UInt16, destinationPort: UInt16)?

    /// Equal when every field, the quoted header's included, is.
    public static func == (lhs: ICMPError, rhs: ICMPError) -> Bool {
        lhs.type == rhs.type && lhs.code == rhs.code && lhs.isV6 == rhs.isV6
            && lhs.quoted?.source == rhs.quoted?.source && lhs.quoted?.destination == rhs.quoted?.destination
            && lhs.quoted?.sourcePort == rhs.quoted?.sourcePort
            && lhs.quoted?.destinationPort == rhs.quoted?.destinationPort
    }

    /// "destination unreachable: administratively prohibited (ICMP 3/13)".
    public var summary: String {
        let name: String
        if isV6 {
            switch (type, code) {
            case (1, 0): name = "destination unreachable: no route"
            case (1, 1): name = "destination unreachable: administratively prohibited"
            case (1, 3): name = "destination unreachable: address unreachable"
            case (1, 4): name = "destination unreachable: port unreachable"
            case (1, 5), (1, 6): name = "destination unreachable: rejected by policy"
            case (3, _): name = "time exceeded"
            default: name = "ICMPv6 error"
            }
            return "\(name) (ICMPv6 \(type)/\(code))"
        }
        switch (type, code) {
        case (3, 0): name = "destination unreachable: network unreachable"
        case (3, 1): name = "destination unreachable: host unreachable"
        case (3, 3): name = "destination unreachable: port unreachable"
        case (3, 9), (3, 10): name = "destination unreachable: administratively prohibited (host)"
        case (3, 13): name = "destination unreachable: administratively prohibited"
        case (3, _): name = "destination unreachable"
        case (11, _): name = "time exceeded"
        default: name = "ICMP error"
        }
        return "\(name) (ICMP \(type)/\(code))"
    }

    /// True for the codes a firewall's "reject with icmp admin-prohibited" sends.
    public var isAdminProhibited: Bool {
        isV6 ? (type == 1 && (code == 1 || code == 5 || code == 6)) : (type == 3 && [9, 10, 13].contains(code))
    }
}

/// One decoded packet.
public struct DecodedPacket: Sendable, Equatable {
    /// What the packet carries.
    public enum Payload: Sendable, Equatable {
        /// A TCP segment.
        case tcp(TCPSegment)
        /// An ICMP error quoting one of our packets.
        case icmpError(ICMPError)
    }

    /// Capture time, seconds since the epoch.
    public var time: Double
    /// IP source.
    public var source: IPAddress
    /// IP destination.
    public var destination: IPAddress
    /// TTL or hop limit as received.
    public var ttl: Int
    /// The transport payload.
    public var payload: Payload
}

/// Decodes captured frames. Never trusts a length field: anything truncated or malformed is nil.
public enum PacketDecoder {
    /// Decodes a frame of the given link type; nil for anything not IPv4/IPv6 TCP or ICMP errors,
    /// and for outgoing copies of loopback packets (the "any" device sees those twice).
    public static func decode(_ bytes: [UInt8], linkType: LinkType, time: Double = 0) -> DecodedPacket? {
        var reader = ByteReader(bytes)
        switch linkType {
        case .ethernet:
            guard reader.skip(12), var etherType = reader.u16() else { return nil }
            while etherType == 0x8100 || etherType == 0x88A8 {  // VLAN tags
                guard reader.skip(2), let inner = reader.u16() else { return nil }
                etherType = inner
            }
            return network(reader.rest, etherType: etherType, time: time)
        case .linuxSLL:
            guard let packetType = reader.u16(), let hardware = reader.u16(), reader.skip(10), let proto = reader.u16()
            else { return nil }
            if packetType == 4 && hardware == 772 { return nil }
            return network(reader.rest, etherType: proto, time: time)
        case .linuxSLL2:
            guard let proto = reader.u16(), reader.skip(6), let hardware = reader.u16(), let packetType = reader.u8(),
                reader.skip(9)
            else { return nil }
            if packetType == 4 && hardware == 772 { return nil }
            return network(reader.rest, etherType: proto, time: time)
        case .null, .loop:
            guard reader.count >= 4 else { return nil }
            return ip(Array(reader.rest.dropFirst(4)), time: time)
        case .raw, .rawIP:
            return ip(reader.rest, time: time)
        }
    }

    static func network(_ bytes: [UInt8], etherType: UInt16, time: Double) -> DecodedPacket? {
        switch etherType {
        case 0x0800, 0x86DD: return ip(bytes, time: time)
        default: return nil
        }
    }

    static func ip(_ bytes: [UInt8], time: Double) -> DecodedPacket? {
        guard let first = bytes.first else { return nil }
        switch first >> 4 {
        case 4: return ipv4(bytes, time: time, quoted: false)
        case 6: return ipv6(bytes, time: time, quoted: false)
        default: return nil
        }
    }

    static func ipv4(_ bytes: [UInt8], time: Double, quoted: Bool) -> DecodedPacket? {
        var reader = ByteReader(bytes)
        guard let versionIHL = reader.u8() else { return nil }
        let headerLength = Int(versionIHL & 0x0F) * 4
        guard headerLength >= 20, bytes.count >= headerLength, reader.skip(1), let total = reader.u16(), reader.skip(2),
            let fragment = reader.u16(), let ttl = reader.u8(), let proto = reader.u8(), reader.skip(2),
            let source = reader.bytes(4).flatMap({ IPAddress(bytes: $0) }),
            let destination = reader.bytes(4).flatMap({ IPAddress(bytes: $0) })
        else { return nil }
        guard fragment & 0x1FFF == 0 else { return nil }  // not the first fragment: no transport header
        // A quoted header may be cut short by the ICMP sender; a real one must hold its own length.
        let end = quoted ? bytes.count : min(bytes.count, Int(total))
        guard end >= headerLength else { return nil }
        let transport = Array(bytes[headerLength..<end])
        return transportPacket(
            proto: proto, transport, source: source, destination: destination, ttl: Int(ttl), time: time, v6: false)
    }

    static func ipv6(_ bytes: [UInt8], time: Double, quoted: Bool) -> DecodedPacket? {
        var reader = ByteReader(bytes)
        guard reader.skip(4), let payloadLength = reader.u16(), var next = reader.u8(), let hopLimit = reader.u8(),
            let source = reader.bytes(16).flatMap({ IPAddress(bytes: $0) }),
            let destination = reader.bytes(16).flatMap({ IPAddress(bytes: $0) })
        else { return nil }
        let end = quoted ? bytes.count : min(bytes.count, 40 + Int(payloadLength))
        guard end >= 40 else { return nil }
        var offset = 40
        // Extension headers: hop-by-hop, routing, destination options (length in 8-byte units),
        // fragment (8 bytes; only the first fragment carries the transport header), AH (4-byte units).
        for _ in 0..<8 {
            switch next {
            case 0, 43, 60:
                guard offset + 2 <= end else { return nil }
                let length = (Int(bytes[offset + 1]) + 1) * 8
                next = bytes[offset]
                offset += length
            case 44:
                guard offset + 8 <= end else { return nil }
                let fragmentOffset = (UInt16(bytes[offset + 2]) << 8 | UInt16(bytes[offset + 3])) >> 3
                guard fragmentOffset == 0 else { return nil }
                next = bytes[offset]
                offset += 8
            case 51:
                guard offset + 2 <= end else { return nil }
                let length = (Int(bytes[offset + 1]) + 2) * 4
                next = bytes[offset]
                offset += length
            default:
                guard offset <= end else { return nil }
                return transportPacket(
                    proto: next, Array(bytes[offset..<end]), source: source, destination: destination,
                    ttl: Int(hopLimit), time: time, v6: true)
            }
            guard offset <= end else { return nil }
        }
        return nil
    }

    static func transportPacket(
        proto: UInt8, _ bytes: [UInt8], source: IPAddress, destination: IPAddress, ttl: Int, time: Double, v6: Bool
    ) -> DecodedPacket? {
        switch proto {
        case 6:
            guard let segment = tcp(bytes) else { return nil }
            return DecodedPacket(time: time, source: source, destination: destination, ttl: ttl, payload: .tcp(segment))
        case 1 where !v6, 58 where v6:
            guard let error = icmp(bytes, v6: v6) else { return nil }
            return DecodedPacket(
                time: time, source: source, destination: destination, ttl: ttl, payload: .icmpError(error))
        default:
            return nil
        }
    }

    static func tcp(_ bytes: [UInt8]) -> TCPSegment? {
        var reader = ByteReader(bytes)
        guard let sourcePort = reader.u16(), let destinationPort = reader.u16(), reader.skip(8),
            let offsetByte = reader.u8(), let flags = reader.u8()
        else { return nil }
        let headerLength = Int(offsetByte >> 4) * 4
        guard headerLength >= 20, bytes.count >= headerLength else { return nil }
        let payload = bytes[headerLength...]
        return TCPSegment(
            sourcePort: sourcePort, destinationPort: destinationPort, flags: flags, payloadLength: payload.count,
            tls: tlsKind(Array(payload)))
    }

    /// A TLS record header: content type, version 3.x, then for handshakes the message type.
    static func tlsKind(_ payload: [UInt8]) -> TLSRecordKind? {
        guard payload.count >= 5, payload[1] == 3, payload[2] <= 4 else { return nil }
        switch payload[0] {
        case 22:
            guard payload.count >= 6 else { return .other }
            switch payload[5] {
            case 1: return .clientHello
            case 2: return .serverHello
            default: return .other
            }
        case 21: return .alert
        case 20, 23: return .other
        default: return nil
        }
    }

    static func icmp(_ bytes: [UInt8], v6: Bool) -> ICMPError? {
        guard bytes.count >= 8 else { return nil }
        let type = bytes[0]
        let code = bytes[1]
        let isError = v6 ? (type == 1 || type == 3) : (type == 3 || type == 11)
        guard isError else { return nil }
        var error = ICMPError(type: type, code: code, isV6: v6, quoted: nil)
        let inner = Array(bytes[8...])
        if let packet = v6 ? ipv6(inner, time: 0, quoted: true) : ipv4(inner, time: 0, quoted: true),
            case .tcp(let segment) = packet.payload
        {
            error.quoted = (packet.source, packet.destination, segment.sourcePort, segment.destinationPort)
        } else if let ports = quotedPorts(inner, v6: v6) {
            error.quoted = ports
        }
        return error
    }

    /// Routers quote as little as the IP header and 8 bytes: enough for the ports, not for a TCP header.
    static func quotedPorts(_ bytes: [UInt8], v6: Bool)
        -> (source: IPAddress, destination: IPAddress, sourcePort: UInt16, destinationPort: UInt16)?
    {
        if v6 {
            guard bytes.count >= 44, bytes[6] == 6, let source = IPAddress(bytes: Array(bytes[8..<24])),
                let destination = IPAddress(bytes: Array(bytes[24..<40]))
            else { return nil }
            return (
                source, destination, UInt16(bytes[40]) << 8 | UInt16(bytes[41]),
                UInt16(bytes[42]) << 8 | UInt16(bytes[43])
            )
        }
        guard let first = bytes.first, first >> 4 == 4 else { return nil }
        let headerLength = Int(first & 0x0F) * 4
        guard headerLength >= 20, bytes.count >= headerLength + 4, bytes[9] == 6,
            let source = IPAddress(bytes: Array(bytes[12..<16])),
            let destination = IPAddress(bytes: Array(bytes[16..<20]))
        else { return nil }
        let ports = bytes[headerLength..<headerLength + 4].map { UInt16($0) }
        return (source, destination, ports[0] << 8 | ports[1], ports[2] << 8 | ports[3])
    }
}

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
