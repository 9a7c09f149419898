import Foundation
import NLSProbeCore
import TestSupport
import Testing

@testable import NLSProbeEngine

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
        let listener = try LoopbackListener(backlog: 0)
        defer { close(listener.fd) }
        // Fill the accept queue (one connection, never accepted): from now on its SYNs go unanswered.
        let filler = try #require(LoopbackClient(port: listener.port))
        defer { withExtendedLifetime(filler) {} }
        let port = listener.port
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
