import NLSProbeCore
import Testing

@testable import NLSProbeEngine

/// What `--per-destination` counts: SYNs until answered or presumed dropped, answered connections
/// until they end.
@Suite struct DestinationSlotsTests {
    @Test func aDestinationTakesAtMostItsCap() {
        let slots = DestinationSlots(cap: 2)
        #expect(slots.acquire("198.18.0.2", loop: 0) != nil)
        #expect(slots.acquire("198.18.0.2", loop: 1) != nil)
        #expect(slots.acquire("198.18.0.2", loop: 0) == nil)
        // Another destination has slots of its own.
        #expect(slots.acquire("198.18.0.3", loop: 0) != nil)
        slots.release("198.18.0.2", loop: 1)
        #expect(slots.count("198.18.0.2") == 1)
        #expect(slots.acquire("198.18.0.2", loop: 0) != nil)
    }

    @Test func aSYNPresumedDroppedGivesItsSlotBack() {
        let slots = DestinationSlots(cap: 2)
        _ = slots.acquire("198.18.0.2", loop: 0)
        _ = slots.acquire("198.18.0.2", loop: 0)
        #expect(slots.acquire("198.18.0.2", loop: 0) == nil)
        slots.presumeDropped("198.18.0.2", loop: 0)
        #expect(slots.count("198.18.0.2") == 1)
        #expect(slots.acquire("198.18.0.2", loop: 0) != nil)
    }

    @Test func aLateAnswerCountsAgainAboveTheCapAndHoldsNewStarts() {
        let slots = DestinationSlots(cap: 2)
        _ = slots.acquire("198.18.0.2", loop: 0)
        _ = slots.acquire("198.18.0.2", loop: 0)
        slots.presumeDropped("198.18.0.2", loop: 0)
        _ = slots.acquire("198.18.0.2", loop: 0)
        // The SYN presumed dropped was answered after all: three connections, over the cap of two.
        slots.reclaim("198.18.0.2")
        #expect(slots.count("198.18.0.2") == 3)
        #expect(slots.acquire("198.18.0.2", loop: 0) == nil)
        slots.release("198.18.0.2", loop: 0)
        #expect(slots.acquire("198.18.0.2", loop: 0) == nil, "still at the cap")
        slots.release("198.18.0.2", loop: 0)
        #expect(slots.acquire("198.18.0.2", loop: 0) != nil)
    }

    @Test func thisHostIsPresumedDroppingAtOnce() {
        let slots = DestinationSlots(cap: 4, localAddresses: [IPAddress("198.18.0.9")].compactMap { $0 })
        #expect(slots.presumptionDelay("127.0.0.1") == DestinationSlots.local)
        #expect(slots.presumptionDelay("::1") == DestinationSlots.local)
        #expect(slots.presumptionDelay("198.18.0.9") == DestinationSlots.local)
        slots.sample("127.0.0.1", seconds: 0.3)
        #expect(slots.presumptionDelay("127.0.0.1") == DestinationSlots.local)
        #expect(slots.presumptionDelay("198.18.0.2") == DestinationSlots.initialRemote)
        #expect(slots.presumptionDelay("cls.example.com") == DestinationSlots.initialRemote)
    }

    @Test func aSilentDestinationIsPresumedDroppingSoonerAndSooner() {
        let slots = DestinationSlots(cap: 4)
        for _ in 0..<4 {
            _ = slots.acquire("198.18.0.2", loop: 0)
            slots.presumeDropped("198.18.0.2", loop: 0)
        }
        #expect(slots.presumptionDelay("198.18.0.2") == DestinationSlots.initialRemote / 2)
        for _ in 0..<400 {
            _ = slots.acquire("198.18.0.2", loop: 0)
            slots.presumeDropped("198.18.0.2", loop: 0)
        }
        #expect(slots.presumptionDelay("198.18.0.2") == DestinationSlots.floor)
        #expect(slots.count("198.18.0.2") == 0)
    }

    @Test func answersSetTheDelayAsTCPsRetransmissionTimeout() {
        let slots = DestinationSlots(cap: 4)
        slots.sample("198.18.0.2", seconds: 0.040)
        // First sample: SRTT 40 ms, RTTVAR 20 ms, so 40 + 4 x 20 = 120 ms.
        #expect(abs(slots.presumptionDelay("198.18.0.2") - 0.120) < 1e-9)
        for _ in 0..<200 { slots.sample("198.18.0.2", seconds: 0.040) }
        // Steady answers: the variation fades and the floor holds.
        #expect(abs(slots.presumptionDelay("198.18.0.2") - 0.040) < 0.002)
        for _ in 0..<200 { slots.sample("198.18.0.3", seconds: 0.0001) }
        #expect(slots.presumptionDelay("198.18.0.3") == DestinationSlots.floor)
        // An answer a second or more after the SYN may answer the kernel's retransmission: not a sample.
        slots.sample("198.18.0.4", seconds: 1.5)
        #expect(slots.presumptionDelay("198.18.0.4") == DestinationSlots.initialRemote)
        // Answers put an end to the halving of a silent destination.
        for _ in 0..<40 {
            _ = slots.acquire("198.18.0.2", loop: 0)
            slots.presumeDropped("198.18.0.2", loop: 0)
        }
        #expect(slots.presumptionDelay("198.18.0.2") >= 0.038)
    }
}
