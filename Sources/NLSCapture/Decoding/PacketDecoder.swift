import NLSProbeCore

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
