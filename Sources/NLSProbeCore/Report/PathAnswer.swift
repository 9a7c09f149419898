/// What answered one probe of a path trace (a SYN with a given TTL).
public enum PathAnswer: String, Codable, Sendable, Equatable, CaseIterable {
    /// ICMP time exceeded: the hop forwards this flow; its address is recorded.
    case timeExceeded = "time-exceeded"
    /// ICMP destination unreachable: the sender rejects the flow (or has no route).
    case unreachable
    /// A TCP reset answered the SYN.
    case reset = "rst"
    /// A SYN-ACK: the destination accepted the connection.
    case synAck = "syn-ack"
    /// Nothing came back in time.
    case silence = "none"
    /// This host could not send the probe (see the trace's note).
    case localError = "local-error"
}
