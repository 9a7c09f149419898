import Foundation
import NLSProbeCore
import Synchronization
import TestSupport
import Testing

@testable import NLSProbeEngine

/// A loopback server that counts the connections it has open at once: it accepts every
/// connection, reads and ignores what comes, and closes its side once the client closed. Each turn
/// takes the clients' ends before new connections, so a client that closed one connection and
/// then opened another is never counted twice.
final class CountingServer: @unchecked Sendable {
    let port: UInt16
    private let listener: Int32
    private let state = Mutex((stopped: false, exited: false, open: 0, most: 0, accepted: 0))

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(fd, 1024) == 0 else { throw TestSetupError("listener setup failed: errno \(errno)") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        listener = fd
        port = UInt16(bigEndian: address.sin_port)
        let thread = Thread { [self] in serve() }
        thread.start()
    }

    /// The most connections open at once, and how many were accepted in all.
    var counts: (most: Int, accepted: Int) { state.withLock { ($0.most, $0.accepted) } }

    private func serve() {
        var clients: [Int32] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !state.withLock({ $0.stopped }) {
            var polls = [pollfd(fd: listener, events: Int16(POLLIN), revents: 0)]
            polls += clients.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            guard poll(&polls, nfds_t(polls.count), 50) > 0 else { continue }
            for entry in polls.dropFirst() where entry.revents != 0 {
                if recv(entry.fd, &buffer, buffer.count, Int32(MSG_DONTWAIT)) <= 0 {
                    close(entry.fd)
                    clients.removeAll { $0 == entry.fd }
                    state.withLock { $0.open -= 1 }
                }
            }
            if polls[0].revents != 0 {
                let client = accept(listener, nil, nil)
                if client >= 0 {
                    clients.append(client)
                    state.withLock { state in
                        state.open += 1
                        state.accepted += 1
                        state.most = max(state.most, state.open)
                    }
                }
            }
        }
        clients.forEach { close($0) }
        state.withLock { $0.exited = true }
    }

    func stop() {
        state.withLock { $0.stopped = true }
        _ = Wait.until(timeout: 2) { state.withLock { $0.exited } }
        close(listener)
    }
}

/// What `--per-destination` counts, against real listeners on loopback.
@Suite(.serialized) struct DestinationCapTests {
    /// The cap holds at the server: TLS checks that hold their connection (the server never
    /// answers the ClientHello) and plain TCP checks, 3 at a time towards one address, across the
    /// engine's threads; the server never has more than 3 of them open.
    @Test func establishedConnectionsNeverExceedTheCap() async throws {
        let server = try CountingServer()
        defer { server.stop() }
        let flows =
            Array(repeating: "port: \(server.port), protocol: tls", count: 9)
            + Array(repeating: "port: \(server.port), protocol: tcp", count: 30)
        let yaml = manyFlowsProfile(flows, defaults: "connect_timeout: 1s\ntls_timeout: 300ms")
        let report = try await runProfile(yaml, limits: ConcurrencyLimits(global: 16, perDestination: 3))
        #expect(report.checks.count == 39)
        #expect(report.checks.filter { $0.flow.protocol == .tcp }.allSatisfy { $0.observed == .open })
        #expect(report.checks.filter { $0.flow.protocol == .tls }.allSatisfy { $0.observed == .tlsFailed })
        #expect(Wait.until(timeout: 2) { server.counts.accepted == 39 })
        let most = server.counts.most
        #expect(most <= 3, "the server had \(most) connections of one run open at once; the cap is 3")
        #expect(most >= 2)
    }

    /// SYNs that meet a silent drop do not hold the cap: a listener whose accept queue is full
    /// drops every new SYN (the kernel answers none), and 40 checks towards it, 2 at a time, end in
    /// about one connect timeout, not 20.
    @Test func droppedSYNsDoNotHoldTheCap() async throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(listener) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        try #require(bound == 0 && listen(listener, 0) == 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        // Fill the accept queue (one connection, never accepted): from now on its SYNs go unanswered.
        let filler = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(filler) }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(filler, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        try #require(connected == 0)
        let port = UInt16(bigEndian: address.sin_port)
        let yaml = manyFlowsProfile(
            Array(repeating: "port: \(port), protocol: tcp, expect: block", count: 40), defaults: "connect_timeout: 1s")
        let started = Date()
        let report = try await runProfile(yaml, limits: ConcurrencyLimits(global: 8, perDestination: 2))
        let elapsed = Date().timeIntervalSince(started)
        #expect(report.checks.count == 40)
        #expect(report.checks.allSatisfy { $0.observed == .filtered }, "\(report.checks.map(\.reason).prefix(3))")
        // Counted until its SYN went unanswered, each check would hold a slot for the whole second: 20 s.
        #expect(elapsed < 5, "40 dropped SYNs, 2 at a time, took \(elapsed) s")
    }
}
