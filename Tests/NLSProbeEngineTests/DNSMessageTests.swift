import Foundation
import NLSProbeCore
import Testing

@testable import NLSProbeEngine

/// The resolver diagnosis's DNS client: queries as RFC 1035 writes them, responses read with
/// strict bounds (no network), resolv.conf and the hosts file as glibc reads them.
struct DNSMessageTests {
    func response(id: UInt16, rcode: UInt8, name: [UInt8], answers: [[UInt8]]) -> [UInt8] {
        var bytes: [UInt8] = [
            UInt8(id >> 8), UInt8(id & 0xff), 0x81, 0x80 | rcode, 0, 1, 0, UInt8(answers.count), 0, 0, 0, 0,
        ]
        bytes += name + [0, 1, 0, 1]
        for rdata in answers { bytes += [0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, UInt8(rdata.count)] + rdata }
        return bytes
    }

    @Test func aQueryAndItsAnswer() throws {
        let query = try #require(DNSMessage.query(id: 0x1234, name: "dls-a.lab.test", type: .a))
        let name = Array(query[12..<(query.count - 4)])
        #expect(name == [5] + Array("dls-a".utf8) + [3] + Array("lab".utf8) + [4] + Array("test".utf8) + [0])
        let answer = try DNSMessage.decode(
            response(id: 0x1234, rcode: 0, name: name, answers: [[198, 18, 21, 10]]), name: "dls-a.lab.test", type: .a)
        #expect(answer.id == 0x1234 && answer.rcode == 0 && answer.addresses == ["198.18.21.10"])
        let missing = try DNSMessage.decode(
            response(id: 1, rcode: 3, name: name, answers: []), name: "DLS-A.lab.test.", type: .a)
        #expect(missing.rcode == 3 && missing.addresses.isEmpty)
        #expect(throws: DNSMessage.DecodeError.otherQuestion) {
            try DNSMessage.decode(response(id: 1, rcode: 0, name: name, answers: []), name: "other.test", type: .a)
        }
    }

    @Test func hostileResponsesAreRefusedNotFollowed() {
        // A pointer to itself, a forward pointer, a label running off the end, a bare header.
        let loop: [UInt8] = [0, 1, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 12, 0, 1, 0, 1]
        #expect(throws: DNSMessage.DecodeError.badName) { try DNSMessage.decode(loop, name: "a", type: .a) }
        let forward: [UInt8] = [0, 1, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0, 0xc0, 40, 0, 1, 0, 1]
        #expect(throws: DNSMessage.DecodeError.badName) { try DNSMessage.decode(forward, name: "a", type: .a) }
        let cut: [UInt8] = [0, 1, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0, 60, 97]
        #expect(throws: DNSMessage.DecodeError.short) { try DNSMessage.decode(cut, name: "a", type: .a) }
        #expect(throws: DNSMessage.DecodeError.short) { try DNSMessage.decode([0, 1, 0x81], name: "a", type: .a) }
        // Random bytes never trap.
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let bytes = (0..<Int.random(in: 0...80, using: &generator)).map { _ in UInt8.random(in: 0...255) }
            _ = try? DNSMessage.decode(bytes, name: "a.test", type: .aaaa)
        }
        #expect(DNSMessage.query(id: 1, name: String(repeating: "a", count: 64) + ".test", type: .a) == nil)
        #expect(DNSMessage.query(id: 1, name: "a..test", type: .a) == nil)
    }

    @Test func resolvConfAndSearchOrder() {
        let conf = ResolvConf.parse(
            """
            # comment
            nameserver 198.18.140.53
            nameserver fe80::1%eth0
            nameserver 198.18.140.54
            nameserver 198.18.140.55
            search corp.test lab.test
            options ndots:2 timeout:1
            """, path: "/etc/resolv.conf")
        #expect(conf.servers == ["198.18.140.53", "fe80::1", "198.18.140.54"])
        #expect(conf.search == ["corp.test", "lab.test"] && conf.ndots == 2)
        #expect(conf.candidates(for: "dls") == ["dls.corp.test", "dls.lab.test", "dls"])
        #expect(conf.candidates(for: "a.b.c") == ["a.b.c", "a.b.c.corp.test", "a.b.c.lab.test"])
        #expect(conf.candidates(for: "a.b.c.") == ["a.b.c"])
        #expect(
            HostsFile.addresses(of: "DLS-A.lab.test", in: "198.18.21.10 dls-a.lab.test # x\n#1.2.3.4 other") == [
                "198.18.21.10"
            ])
        #expect(IPv6Text.text([0x20, 1, 0xd, 0xb8] + [UInt8](repeating: 0, count: 11) + [1]) == "2001:db8::1")
    }
}
