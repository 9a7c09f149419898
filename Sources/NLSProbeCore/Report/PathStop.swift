/// Where a traced flow stopped, as the trace read its hops.
public enum PathStop: String, Codable, Sendable, Equatable, CaseIterable {
    /// Silence from some hop on: dropped after the last hop that answered.
    case dropped
    /// An ICMP unreachable came back from a device on the path: it rejects the flow.
    case rejected
    /// A reset came back from a device before the destination: it rejects (or forges) it.
    case reset
    /// The destination answered the SYN (SYN-ACK, or its own reset): the path is open at the TCP
    /// level, so a failure is above TCP.
    case reachedDestination = "reached-destination"
    /// The trace could not be run or read (see its summary).
    case unknown
}
