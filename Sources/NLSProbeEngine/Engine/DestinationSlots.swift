import NLSProbeCore
import Synchronization

/// What `--per-destination` counts, across every loop: the work a destination does for the run.
///
/// An attempt takes a slot of its destination when its SYN leaves. It keeps it while an answer may
/// still come, and once the destination answered, for as long as the connection is open (the
/// handshake it accepted, the TLS handshake, the request). A SYN with no answer within the
/// destination's presumption delay (`presumptionDelay(_:)`: a retransmission timeout estimated
/// from the answers the destination gave, as TCP and nmap do) is presumed dropped and gives its
/// slot back: a SYN that meets a silent drop costs the destination nothing. Answered late all the
/// same, the connection counts again at once (`reclaim`), above the cap if need be, and nothing new
/// starts towards that destination until it is back under.
final class DestinationSlots: Sendable {
    /// The least presumption delay: no destination is presumed to drop sooner than this (seconds).
    static let floor = 0.010
    /// The longest presumption delay: the kernel sends the SYN again after a second, so an answer
    /// later than that may answer the retransmission (seconds).
    static let ceiling = 1.0
    /// The presumption delay of a destination on another host before it answered anything
    /// (seconds).
    static let initialRemote = 0.25
    /// The presumption delay of a destination on this host (loopback, or one of its addresses),
    /// before and after it answered: its kernel answers a SYN as the SYN is sent, so one still
    /// unanswered a moment later was dropped (a firewall rule, a full accept queue) (seconds).
    static let local = 0.002

    struct Destination {
        /// On this host (loopback, or one of its addresses): worked out once, when first seen.
        let local: Bool
        /// Slots taken.
        var count = 0
        /// Smoothed round-trip time of its answered SYNs (RFC 6298's SRTT), nil before the first.
        var smoothed: Double?
        /// Round-trip time variation (RFC 6298's RTTVAR).
        var variation = 0.0
        /// SYNs presumed dropped while it had answered none.
        var silentDrops = 0
    }

    private struct State {
        var destinations: [String: Destination] = [:]
        /// Loops holding jobs for a full destination.
        var waiting: Set<Int> = []
        /// The loops, held weakly (they hold this).
        var loops: [WeakLoop] = []
    }

    private struct WeakLoop {
        weak var loop: MultiLoop?
    }

    /// Slots per destination.
    let cap: Int
    /// This host's addresses, in text: a destination among them answers at once when it answers.
    private let localAddresses: Set<String>
    private let state = Mutex(State())

    /// Slots of `cap` per destination, none taken; `localAddresses` are this host's.
    init(cap: Int, localAddresses: [IPAddress] = []) {
        self.cap = cap
        self.localAddresses = Set(localAddresses.map(\.description))
    }

    /// Registers the loops to wake, by index; done once, before any starts.
    func register(_ loops: [MultiLoop]) {
        state.withLock { $0.loops = loops.map { WeakLoop(loop: $0) } }
    }

    /// Takes a slot of `key` for loop `loop`: the delay after which its SYN, unanswered, is presumed
    /// dropped; nil (and the loop is noted as waiting) when the destination is full.
    func acquire(_ key: String, loop: Int) -> Double? {
        state.withLock { state -> Double? in
            var destination = state.destinations[key] ?? fresh(key)
            guard destination.count < cap else {
                state.waiting.insert(loop)
                return nil
            }
            destination.count += 1
            state.destinations[key] = destination
            return delay(of: destination)
        }
    }

    /// Frees a slot of `key` (the attempt ended), waking the other loops that wait for a slot.
    func release(_ key: String, loop: Int) {
        free(key, loop: loop, dropped: false)
    }

    /// Frees the slot of an attempt whose SYN is presumed dropped (it runs on, uncounted).
    func presumeDropped(_ key: String, loop: Int) {
        free(key, loop: loop, dropped: true)
    }

    /// Counts again an attempt presumed dropped whose SYN was answered after all, even above the cap.
    func reclaim(_ key: String) {
        state.withLock { $0.destinations[key, default: fresh(key)].count += 1 }
    }

    /// Records a round trip of `key`: a SYN answered (SYN-ACK, reset or ICMP error) after `seconds`.
    func sample(_ key: String, seconds: Double) {
        guard seconds >= 0, seconds < Self.ceiling else { return }
        state.withLock { state in
            var destination = state.destinations[key] ?? fresh(key)
            if let smoothed = destination.smoothed {
                destination.variation = 0.75 * destination.variation + 0.25 * abs(smoothed - seconds)
                destination.smoothed = 0.875 * smoothed + 0.125 * seconds
            } else {
                destination.smoothed = seconds
                destination.variation = seconds / 2
            }
            state.destinations[key] = destination
        }
    }

    /// True when `key` has no slot free: a check towards it would wait for one.
    func isFull(_ key: String) -> Bool { state.withLock { ($0.destinations[key]?.count ?? 0) >= cap } }

    /// Slots of `key` taken now.
    func count(_ key: String) -> Int { state.withLock { $0.destinations[key]?.count ?? 0 } }

    /// The delay after which an unanswered SYN to `key` is presumed dropped.
    func presumptionDelay(_ key: String) -> Double {
        state.withLock { delay(of: $0.destinations[key] ?? fresh(key)) }
    }

    /// `local` on this host. Elsewhere SRTT + 4 x RTTVAR once the destination answered (RFC 6298's
    /// retransmission timeout), between `floor` and `ceiling`; before its first answer
    /// `initialRemote`, halved for each cap's worth of SYNs it let go unanswered (a destination that drops
    /// everything is presumed to drop sooner and sooner, down to `floor`).
    private func delay(of destination: Destination) -> Double {
        if destination.local { return Self.local }
        if let smoothed = destination.smoothed {
            return min(Self.ceiling, max(Self.floor, smoothed + 4 * destination.variation))
        }
        let halvings = min(30, destination.silentDrops / max(1, cap))
        return max(Self.floor, Self.initialRemote / Double(1 << halvings))
    }

    /// A destination not seen before, its locality worked out (parsing its address once, not at
    /// every SYN).
    private func fresh(_ key: String) -> Destination { Destination(local: isLocal(key)) }

    /// True for a destination on this host: loopback, or one of its own addresses.
    private func isLocal(_ key: String) -> Bool {
        guard let address = IPAddress(key) else { return false }
        if address.isIPv6 {
            return address.bytes == [UInt8](repeating: 0, count: 15) + [1] || localAddresses.contains(key)
        }
        return address.bytes[0] == 127 || localAddresses.contains(key)
    }

    private func free(_ key: String, loop: Int, dropped: Bool) {
        let wake = state.withLock { state -> [MultiLoop] in
            var destination = state.destinations[key] ?? fresh(key)
            destination.count = max(0, destination.count - 1)
            if dropped && destination.smoothed == nil { destination.silentDrops += 1 }
            state.destinations[key] = destination
            if state.waiting.isEmpty { return [] }
            defer { state.waiting = [] }
            return state.waiting.filter { $0 != loop && $0 < state.loops.count }.compactMap { state.loops[$0].loop }
        }
        for other in wake { other.wake() }
    }
}
