import NLSProbeCore
import Testing

@testable import NLSProbeEngine

/// Reading a trace's hops: where the flow stops and who stops it (no network).
struct PathReadingTests {
    @Test func silenceAfterAHopIsADropAfterIt() {
        let path = PathReading.read(
            hops: [
                PathHop(ttl: 1, answer: .timeExceeded, from: "198.18.110.1"), PathHop(ttl: 2, answer: .silence),
                PathHop(ttl: 3, answer: .silence), PathHop(ttl: 4, answer: .silence),
            ], destination: "198.18.121.10")
        #expect(path.stop == .dropped && path.stopHop == 1 && path.stopAddress == "198.18.110.1")
        #expect(path.summary == "dropped after hop 1 (198.18.110.1); hops 1 198.18.110.1, 2 *, 3 *, 4 *")
    }

    @Test func anUnreachableFromAForwardingRouterNamesItsHop() {
        let path = PathReading.read(
            hops: [
                PathHop(ttl: 1, answer: .timeExceeded, from: "198.18.110.1"),
                PathHop(ttl: 2, answer: .timeExceeded, from: "198.18.111.2"),
                PathHop(
                    ttl: 3, answer: .unreachable, from: "198.18.111.2",
                    icmp: "destination unreachable: administratively prohibited (ICMP 3/13)"),
            ], destination: "198.18.121.10")
        #expect(path.stop == .rejected && path.stopHop == 2 && path.stopAddress == "198.18.111.2")
    }

    @Test func aResetsTTLPlacesItsSender() {
        let hops = [
            PathHop(ttl: 1, answer: .timeExceeded, from: "198.18.110.1"),
            PathHop(ttl: 2, answer: .timeExceeded, from: "198.18.111.2"),
            PathHop(ttl: 3, answer: .reset, from: "198.18.121.10"),
        ]
        let forged = PathReading.read(hops: hops, destination: "198.18.121.10", resetTtl: 63)
        #expect(forged.stop == .reset && forged.stopHop == 2 && forged.stopAddress == "198.18.111.2")
        #expect(forged.resetOrigin == "the reset arrived with TTL 63 = 64 − 1: sent 2 hops away")
        let genuine = PathReading.read(hops: hops, destination: "198.18.121.10", resetTtl: 62)
        #expect(genuine.stopHop == 3 && genuine.stopAddress == "198.18.121.10")
        let unknown = PathReading.read(hops: hops, destination: "198.18.121.10")
        #expect(unknown.stopHop == 3 && unknown.summary.contains("was not seen"))
        // A reset with TTL 64, 128 or 255 on a routed path came from the first hop.
        #expect(PathReading.resetOrigin(resetTtl: 255, probeTtl: 3)?.hop == 1)
        #expect(PathReading.resetOrigin(resetTtl: 128, probeTtl: 3)?.hop == 1)
    }

    @Test func aSynAckMeansTheFailureIsAboveTCP() {
        let path = PathReading.read(
            hops: [
                PathHop(ttl: 1, answer: .timeExceeded, from: "198.18.110.1"),
                PathHop(ttl: 2, answer: .synAck, from: "198.18.120.10"),
            ], destination: "198.18.120.10")
        #expect(path.stop == .reachedDestination && path.summary.contains("above TCP"))
    }
}
