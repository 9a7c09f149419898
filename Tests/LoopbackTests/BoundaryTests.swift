import Foundation
import NLSProbeCore
import TestSupport
import Testing

@testable import NLSProbeEngine

#if canImport(Glibc)
    import Glibc
#endif

/// The typed C boundary: TCP states, libcurl and OpenSSL codes by name, the socket owner, the
/// thread owner and the recorded certificate chain. No network beyond loopback.
@Suite struct BoundaryTests {
    /// Every kernel state maps to its case, and back only to it.
    @Test func tcpStatesMapFromTheKernelNames() {
        let kernel: [(Int, TCPState)] = [
            (TCP_ESTABLISHED, .established), (TCP_SYN_SENT, .synSent), (TCP_SYN_RECV, .synReceived),
            (TCP_FIN_WAIT1, .finWait1), (TCP_FIN_WAIT2, .finWait2), (TCP_TIME_WAIT, .timeWait),
            (TCP_CLOSE, .closed), (TCP_CLOSE_WAIT, .closeWait), (TCP_LAST_ACK, .lastAck), (TCP_LISTEN, .listen),
            (TCP_CLOSING, .closing),
        ]
        for (value, state) in kernel {
            #expect(TCPState(kernelValue: Int32(value)) == state)
        }
        #expect(Set(kernel.map(\.1)).count == TCPState.allCases.count)
        #expect(TCPState(kernelValue: -1) == nil)
        #expect(TCPState(kernelValue: 99) == nil)
    }

    /// The states that prove a completed handshake are the ones the engine always counted: the
    /// kernel's 1, 4, 5, 6, 8, 9 and 11 (established, or closing after it).
    @Test func aCompletedHandshakeIsEstablishedOrClosingAfterIt() {
        let completed = TCPState.allCases.filter(\.handshakeCompleted)
        #expect(Set(completed) == [.established, .finWait1, .finWait2, .timeWait, .closeWait, .lastAck, .closing])
        let values = Set((0..<16).filter { TCPState(kernelValue: Int32($0))?.handshakeCompleted == true })
        #expect(values == [1, 4, 5, 6, 8, 9, 11])
        #expect(!TCPState.closed.handshakeCompleted, "a refused connect ends in CLOSE")
        #expect(!TCPState.synSent.handshakeCompleted)
    }

    /// A real socket: CLOSE before it connects, ESTABLISHED once connected to a loopback listener.
    @Test func aSocketsStateIsReadFromTheKernel() throws {
        let server = try MisbehavingServer(.silent)
        defer { server.stop() }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(fd >= 0)
        defer { close(fd) }
        #expect(TCPState.of(socket: fd) == .closed)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = server.port.bigEndian
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        try #require(rc == 0)
        #expect(TCPState.of(socket: fd) == .established)
        #expect(TCPState.of(socket: -1) == nil)
    }

    /// The names stand for libcurl's and OpenSSL's numbers, and write themselves as the number.
    @Test func curlAndVerificationCodesByName() {
        #expect(CurlResult.ok.rawValue == 0)
        #expect(CurlResult.couldntConnect.rawValue == 7)
        #expect(CurlResult.writeError.rawValue == 23)
        #expect(CurlResult.operationTimedOut.rawValue == 28)
        #expect(CurlResult.peerFailedVerification.rawValue == 60)
        #expect(CurlResult.proxy.rawValue == 97)
        #expect(CurlResult.couldntConnect == 7)
        #expect("\(CurlResult.sslConnectError)" == "35")
        #expect(CertificateVerifyResult.ok == 0)
        #expect(CertificateVerifyResult.expired.rawValue == 10)
        #expect(CertificateVerifyResult.notYetValid.rawValue == 9)
        #expect(CertificateVerifyResult.selfSignedLeaf.rawValue == 18)
        #expect(CertificateVerifyResult.untrustedRootInChain.rawValue == 19)
        #expect(CertificateVerifyResult.unableToGetIssuerLocally.rawValue == 20)
    }

    static func isOpen(_ fd: Int32) -> Bool { fcntl(fd, F_GETFD) != -1 }

    /// The owner closes its socket when it goes away; a released socket stays open.
    @Test func anOwnedSocketIsClosedByItsOwner() throws {
        let first = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(first >= 0)
        do {
            guard let owned = OwnedSocket(adopting: first) else {
                Issue.record("a socket was not adopted")
                return
            }
            #expect(owned.descriptor == first)
            #expect(Self.isOpen(first))
        }
        #expect(!Self.isOpen(first), "closed when its owner went away")

        let second = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(second >= 0)
        guard let owned = OwnedSocket(adopting: second) else {
            Issue.record("a socket was not adopted")
            return
        }
        let released = owned.release()
        #expect(released == second)
        #expect(Self.isOpen(second), "released, not closed")
        close(second)
        let adopted: Bool
        if OwnedSocket(adopting: -1) != nil { adopted = true } else { adopted = false }
        #expect(!adopted, "no socket, no owner")
    }

    /// The local end of a bound socket reads back as `inet_ntop` and `getsockname` give it, for
    /// IPv4 (written out digit by digit) and IPv6.
    @Test func aSocketsLocalEndReadsAsTheKernelHasIt() throws {
        for (family, address) in [(AF_INET, "127.0.0.1"), (AF_INET6, "::1")] {
            let fd = socket(family, Int32(SOCK_STREAM.rawValue), 0)
            try #require(fd >= 0)
            guard let owned = OwnedSocket(adopting: fd) else {
                Issue.record("a socket was not adopted")
                return
            }
            #expect(SocketEndpoint(localOf: owned) == nil, "no port before bind")
            var bound: Int32
            if family == AF_INET {
                var local = sockaddr_in()
                local.sin_family = sa_family_t(AF_INET)
                inet_pton(AF_INET, address, &local.sin_addr)
                bound = withUnsafePointer(to: &local) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                    }
                }
            } else {
                var local = sockaddr_in6()
                local.sin6_family = sa_family_t(AF_INET6)
                inet_pton(AF_INET6, address, &local.sin6_addr)
                bound = withUnsafePointer(to: &local) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size))
                    }
                }
            }
            // A host without IPv6 on loopback has no ::1 to bind: nothing to read then.
            guard bound == 0 else {
                #expect(family == AF_INET6, "binding 127.0.0.1 failed: errno \(errno)")
                continue
            }
            let read = SocketEndpoint(localOf: owned)
            let endpoint = try #require(read)
            #expect(endpoint.address == address)
            #expect(endpoint.port > 0 && endpoint.port < 65536)
        }
    }

    /// IPv4 addresses are written as `inet_ntop` writes them: no leading zeros, every byte.
    @Test func dottedAddressesMatchInetNtop() {
        let samples: [[UInt8]] = [
            [0, 0, 0, 0], [127, 0, 0, 1], [255, 255, 255, 255], [198, 18, 10, 15], [10, 9, 99, 100], [1, 20, 200, 109],
        ]
        for bytes in samples {
            var text = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
            bytes.withUnsafeBytes { raw in _ = inet_ntop(AF_INET, raw.baseAddress, &text, socklen_t(text.count)) }
            let expected = String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            #expect(bytes.withUnsafeBytes { IPAddress.dottedQuad($0) } == expected)
        }
    }

    /// The thread that claims the owner passes the check; any other thread does not.
    @Test func onlyTheOwningThreadPassesTheCheck() async {
        let owner = ThreadOwner("test state")
        #expect(!owner.isCurrentThreadOwner, "unclaimed")
        let (onOwner, onOther) = await withCheckedContinuation { continuation in
            let thread = Thread {
                owner.claim()
                owner.check()
                let onOwner = owner.isCurrentThreadOwner
                let other = Thread {
                    continuation.resume(returning: (onOwner, owner.isCurrentThreadOwner))
                }
                other.start()
            }
            thread.start()
        }
        #expect(onOwner)
        #expect(!onOther)
        #expect(!owner.isCurrentThreadOwner)
    }

    static func certificate(_ subject: String, issuer: String = "CN=Test CA") -> CertificateInfo {
        CertificateInfo(
            subject: subject, issuer: issuer, notBefore: "2030-01-01T00:00:00Z", notAfter: "2031-01-01T00:00:00Z",
            sha256: String(repeating: "0", count: 64))
    }

    /// A chain recorded in part says so: a cut name ends in "…", certificates left out are counted.
    @Test func aTruncatedChainIsFlagged() {
        let whole = PresentedChain(
            entries: [.init(certificate: Self.certificate("CN=a")), .init(certificate: Self.certificate("CN=b"))],
            presented: 2)
        #expect(!whole.isTruncated)
        #expect(whole.omitted == 0)
        #expect(whole.certificates.map(\.subject) == ["CN=a", "CN=b"])

        let cut = PresentedChain(
            entries: [.init(certificate: Self.certificate("CN=long"), subjectCut: true, issuerCut: true)],
            presented: 12)
        #expect(cut.isTruncated)
        #expect(cut.namesCut)
        #expect(cut.omitted == 11)
        #expect(cut.certificates.first?.subject == "CN=long…")
        #expect(cut.certificates.first?.issuer == "CN=Test CA…")

        let empty = PresentedChain(entries: [], presented: 0)
        #expect(empty.certificates.isEmpty && !empty.isTruncated)
    }
}
