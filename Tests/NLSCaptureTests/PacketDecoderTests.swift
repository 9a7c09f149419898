import NLSProbeCore
import Testing

@testable import NLSCapture

/// Crafted packets: every link type, IPv4 and IPv6 (with extension headers), TCP, ICMP errors,
/// TLS records; and truncated or lying headers, which must be skipped, never a crash.
enum Craft {
    static func be16(_ value: Int) -> [UInt8] { [UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)] }
    static func address(_ text: String) -> [UInt8] { IPAddress(text)?.bytes ?? [] }

    static func tcp(_ source: Int, _ destination: Int, flags: UInt8, payload: [UInt8] = []) -> [UInt8] {
        be16(source) + be16(destination) + [0, 0, 0, 1] + [0, 0, 0, 0] + [0x50, flags] + be16(64240) + [0, 0, 0, 0]
            + payload
    }

    static func ipv4(_ source: String, _ destination: String, proto: UInt8 = 6, ttl: UInt8 = 64, _ payload: [UInt8])
        -> [UInt8]
    {
        [0x45, 0] + be16(20 + payload.count) + [0, 1, 0x40, 0, ttl, proto, 0, 0] + address(source)
            + address(destination)
            + payload
    }

    static func ipv6(_ source: String, _ destination: String, next: UInt8 = 6, hop: UInt8 = 64, _ payload: [UInt8])
        -> [UInt8]
    {
        [0x60, 0, 0, 0] + be16(payload.count) + [next, hop] + address(source) + address(destination) + payload
    }

    static func ethernet(_ type: Int, _ payload: [UInt8]) -> [UInt8] {
        [UInt8](repeating: 0x02, count: 12) + be16(type) + payload
    }

    static func sll(_ packetType: Int, hardware: Int = 1, _ proto: Int, _ payload: [UInt8]) -> [UInt8] {
        be16(packetType) + be16(hardware) + be16(6) + [UInt8](repeating: 0, count: 8) + be16(proto) + payload
    }

    static func sll2(_ proto: Int, hardware: Int = 1, packetType: UInt8, _ payload: [UInt8]) -> [UInt8] {
        be16(proto) + [0, 0] + [0, 0, 0, 2] + be16(hardware) + [packetType, 6] + [UInt8](repeating: 0, count: 8)
            + payload
    }

    static let clientHello: [UInt8] = [22, 3, 1, 0, 200, 1, 0, 0, 196, 3, 3]
    static let serverHello: [UInt8] = [22, 3, 3, 0, 90, 2, 0, 0, 86, 3, 3]
    static let alert: [UInt8] = [21, 3, 3, 0, 2, 2, 40]
}

@Suite struct PacketDecoderTests {
    let syn = Craft.ipv4("198.18.10.10", "198.18.20.11", Craft.tcp(40000, 443, flags: 0x02))

    @Test func ethernetIPv4SYN() throws {
        let packet = try #require(PacketDecoder.decode(Craft.ethernet(0x0800, syn), linkType: .ethernet, time: 5))
        #expect(packet.source == IPAddress("198.18.10.10"))
        #expect(packet.destination == IPAddress("198.18.20.11"))
        #expect(packet.ttl == 64)
        guard case .tcp(let segment) = packet.payload else { Issue.record("not TCP"); return }
        #expect(segment.isSYN && !segment.isSYNACK && segment.sourcePort == 40000 && segment.destinationPort == 443)
    }

    @Test func vlanTaggedEthernet() throws {
        let frame = [UInt8](repeating: 0x02, count: 12) + Craft.be16(0x8100) + [0, 5] + Craft.be16(0x0800) + syn
        #expect(PacketDecoder.decode(frame, linkType: .ethernet) != nil)
    }

    @Test func everyLinkType() throws {
        #expect(PacketDecoder.decode(Craft.sll(0, 0x0800, syn), linkType: .linuxSLL) != nil)
        #expect(PacketDecoder.decode(Craft.sll2(0x0800, packetType: 0, syn), linkType: .linuxSLL2) != nil)
        #expect(PacketDecoder.decode([2, 0, 0, 0] + syn, linkType: .null) != nil)
        #expect(PacketDecoder.decode([0, 0, 0, 2] + syn, linkType: .loop) != nil)
        #expect(PacketDecoder.decode(syn, linkType: .raw) != nil)
        #expect(PacketDecoder.decode(syn, linkType: .rawIP) != nil)
        // The "any" device sees a loopback packet leave and arrive: the outgoing copy is skipped.
        #expect(PacketDecoder.decode(Craft.sll(4, hardware: 772, 0x0800, syn), linkType: .linuxSLL) == nil)
        #expect(
            PacketDecoder.decode(Craft.sll2(0x0800, hardware: 772, packetType: 4, syn), linkType: .linuxSLL2) == nil)
        // Outgoing on a real interface is our own SYN: kept.
        #expect(PacketDecoder.decode(Craft.sll(4, 0x0800, syn), linkType: .linuxSLL) != nil)
        // Not IP at all.
        #expect(
            PacketDecoder.decode(Craft.ethernet(0x0806, [UInt8](repeating: 0, count: 28)), linkType: .ethernet) == nil)
    }

    @Test func ipv6WithExtensionHeaders() throws {
        let tcp = Craft.tcp(40000, 443, flags: 0x12)
        // Hop-by-hop (8 bytes) -> destination options (16 bytes) -> TCP.
        let hopByHop: [UInt8] = [60, 0, 1, 4, 0, 0, 0, 0]
        let destinationOptions: [UInt8] = [6, 1] + [UInt8](repeating: 0, count: 14)
        let packet6 = Craft.ipv6("2001:db8::2", "2001:db8::1", next: 0, hop: 63, hopByHop + destinationOptions + tcp)
        let packet = try #require(PacketDecoder.decode(Craft.ethernet(0x86DD, packet6), linkType: .ethernet))
        #expect(packet.ttl == 63)
        guard case .tcp(let segment) = packet.payload else { Issue.record("not TCP"); return }
        #expect(segment.isSYNACK)
        // A non-first fragment carries no TCP header.
        let fragment: [UInt8] = [6, 0, 0, 0x08, 0, 0, 0, 1]
        #expect(
            PacketDecoder.decode(Craft.ipv6("2001:db8::2", "2001:db8::1", next: 44, fragment + tcp), linkType: .raw)
                == nil)
        // An extension header claiming more bytes than there are.
        let lying: [UInt8] = [6, 200, 0, 0, 0, 0, 0, 0]
        #expect(
            PacketDecoder.decode(Craft.ipv6("2001:db8::2", "2001:db8::1", next: 60, lying + tcp), linkType: .raw) == nil
        )
    }

    @Test func icmpAdminProhibitedQuotesOurSYN() throws {
        let quoted = Array(syn.prefix(28))  // IP header + 8 bytes, as routers send
        let icmp: [UInt8] = [3, 13, 0, 0, 0, 0, 0, 0] + quoted
        let packet = try #require(
            PacketDecoder.decode(Craft.ipv4("198.18.11.1", "198.18.10.10", proto: 1, icmp), linkType: .raw))
        guard case .icmpError(let error) = packet.payload else { Issue.record("not ICMP"); return }
        #expect(error.isAdminProhibited)
        #expect(error.summary == "destination unreachable: administratively prohibited (ICMP 3/13)")
        #expect(error.quoted?.sourcePort == 40000 && error.quoted?.destinationPort == 443)
        #expect(error.quoted?.destination == IPAddress("198.18.20.11"))
        // ICMPv6 administratively prohibited.
        let syn6 = Craft.ipv6("2001:db8::1", "2001:db8::2", Craft.tcp(40001, 443, flags: 0x02))
        let icmp6 = Craft.ipv6("2001:db8::ff", "2001:db8::1", next: 58, [1, 1, 0, 0, 0, 0, 0, 0] + syn6)
        let packet6 = try #require(PacketDecoder.decode(icmp6, linkType: .raw))
        guard case .icmpError(let error6) = packet6.payload else { Issue.record("not ICMPv6"); return }
        #expect(error6.isAdminProhibited && error6.quoted?.sourcePort == 40001)
        // Echo replies are not errors.
        #expect(
            PacketDecoder.decode(
                Craft.ipv4("198.18.11.1", "198.18.10.10", proto: 1, [0, 0, 0, 0, 0, 1, 0, 1]), linkType: .raw) == nil)
    }

    @Test func tlsRecords() throws {
        func kind(_ payload: [UInt8]) -> TLSRecordKind? {
            guard
                let packet = PacketDecoder.decode(
                    Craft.ipv4("198.18.10.10", "198.18.20.10", Craft.tcp(40000, 443, flags: 0x18, payload: payload)),
                    linkType: .raw), case .tcp(let segment) = packet.payload
            else { return nil }
            return segment.tls
        }
        #expect(kind(Craft.clientHello) == .clientHello)
        #expect(kind(Craft.serverHello) == .serverHello)
        #expect(kind(Craft.alert) == .alert)
        #expect(kind(Array("GET / HTTP/1.1\r\n".utf8)) == nil)
    }

    /// Every prefix of every packet, and headers whose lengths lie: nil or a packet, never a crash.
    @Test func truncatedAndLyingPacketsAreSkipped() {
        let samples: [(LinkType, [UInt8])] = [
            (.ethernet, Craft.ethernet(0x0800, syn)), (.linuxSLL2, Craft.sll2(0x0800, packetType: 0, syn)),
            (.linuxSLL, Craft.sll(0, 0x0800, syn)), (.null, [2, 0, 0, 0] + syn),
            (
                .raw,
                Craft.ipv6("2001:db8::2", "2001:db8::1", next: 0, [6, 0, 1, 4, 0, 0, 0, 0] + Craft.tcp(1, 2, flags: 2))
            ),
            (
                .raw,
                Craft.ipv4("198.18.11.1", "198.18.10.10", proto: 1, [3, 13, 0, 0, 0, 0, 0, 0] + Array(syn.prefix(28)))
            ),
        ]
        for (linkType, bytes) in samples {
            for length in 0..<bytes.count {
                _ = PacketDecoder.decode(Array(bytes.prefix(length)), linkType: linkType)
            }
        }
        var badIHL = syn
        badIHL[0] = 0x4F  // a 60-byte header in a 40-byte packet
        #expect(PacketDecoder.decode(badIHL, linkType: .raw) == nil)
        var shortIHL = syn
        shortIHL[0] = 0x44  // a 16-byte IP header is no IP header
        #expect(PacketDecoder.decode(shortIHL, linkType: .raw) == nil)
        var badOffset = syn
        badOffset[32] = 0xF0  // TCP data offset 60 in a 20-byte segment
        #expect(PacketDecoder.decode(badOffset, linkType: .raw) == nil)
        var longTotal = syn
        longTotal[2] = 0xFF  // total length past the end: cut to what is there, still decoded
        #expect(PacketDecoder.decode(longTotal, linkType: .raw) != nil)
    }
}

@Suite struct WireSummaryTests {
    let key: FlowKey

    init() throws {
        key = FlowKey(localPort: 40000, remote: try #require(IPAddress("198.18.20.10")), remotePort: 443)
    }

    func packet(_ bytes: [UInt8], at time: Double) -> DecodedPacket? {
        PacketDecoder.decode(bytes, linkType: .raw, time: time)
    }

    @Test func handshakeThenInjectedResetAfterClientHello() throws {
        let packets = [
            packet(Craft.ipv4("198.18.10.10", "198.18.20.10", Craft.tcp(40000, 443, flags: 0x02)), at: 1.0),
            packet(Craft.ipv4("198.18.20.10", "198.18.10.10", ttl: 63, Craft.tcp(443, 40000, flags: 0x12)), at: 1.001),
            packet(
                Craft.ipv4(
                    "198.18.10.10", "198.18.20.10", Craft.tcp(40000, 443, flags: 0x18, payload: Craft.clientHello)),
                at: 1.002),
            packet(Craft.ipv4("198.18.20.10", "198.18.10.10", ttl: 64, Craft.tcp(443, 40000, flags: 0x04)), at: 1.004),
        ].compactMap { $0 }
        let wire = PacketCapture.summarize(packets, key: key, pathTTL: nil)
        #expect(wire.synsSent == 1)
        #expect(wire.answer == .synAck && wire.answerTtl == 63)
        #expect(wire.clientHelloSent && !wire.serverHello)
        #expect(wire.resetAfterClientHello)
        #expect(wire.injectedReset && wire.resetTtl == 64 && wire.pathTtl == 63)
        #expect(wire.clientHelloAnsweredAfterMs == 2)
    }

    @Test func silentDropCountsRetransmissions() throws {
        let synPacket = Craft.ipv4("198.18.10.10", "198.18.20.10", Craft.tcp(40000, 443, flags: 0x02))
        let packets = [packet(synPacket, at: 1), packet(synPacket, at: 2)].compactMap { $0 }
        let wire = PacketCapture.summarize(packets, key: key, pathTTL: nil)
        #expect(wire.synsSent == 2 && wire.answer == .silence)
        #expect(wire.summary == "2 SYNs sent, no answer")
    }
}
