/// A path trace of a failed check (`--trace`, profile `trace: on-failure`): SYNs from the check's
/// source address (and, where the kernel allows, its source port) to its destination address and
/// port with TTL 1, 2, 3…, so the firewall sees the same flow as the check.
public struct PathEvidence: Codable, Sendable, Equatable {
    /// Every probe, by TTL.
    public var hops: [PathHop]
    /// Where the flow stopped.
    public var stop: PathStop
    /// The hop that stops the flow: the last hop that forwards it (dropped), or the device that
    /// rejects or resets it; nil when the destination answered or nothing did.
    public var stopHop: Int?
    /// The address of `stopHop`.
    public var stopAddress: String?
    /// The source port every probe used (one flow for every probe).
    public var sourcePort: Int?
    /// How the origin of a reset was worked out, when one came ("TTL 63 = 64 − 1: sent 2 hops away").
    public var resetOrigin: String?
    /// One line: "dropped after hop 1 (198.18.110.1); hops 1 198.18.110.1, 2 *, 3 *".
    public var summary: String
    /// Probes sent.
    public var probes: Int
    /// Milliseconds the trace took.
    public var durationMs: Double

    /// Creates a path trace.
    public init(
        hops: [PathHop], stop: PathStop, stopHop: Int? = nil, stopAddress: String? = nil, sourcePort: Int? = nil,
        resetOrigin: String? = nil, summary: String, probes: Int, durationMs: Double
    ) {
        self.hops = hops
        self.stop = stop
        self.stopHop = stopHop
        self.stopAddress = stopAddress
        self.sourcePort = sourcePort
        self.resetOrigin = resetOrigin
        self.summary = summary
        self.probes = probes
        self.durationMs = durationMs
    }
}
