/// What answered a check's SYN on the wire (`--capture`).
public enum WireAnswer: String, Codable, Sendable, Equatable, CaseIterable {
    /// A SYN-ACK: something accepted the connection.
    case synAck = "syn-ack"
    /// A reset: something refused it (the server, or a middlebox forging one).
    case reset = "rst"
    /// An ICMP error: a router or firewall said the destination cannot be reached.
    case icmp
    /// Nothing came back: a silent drop somewhere on the path.
    case silence = "none"
}
