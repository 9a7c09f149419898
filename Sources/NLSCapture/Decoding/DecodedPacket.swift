import NLSProbeCore

/// One decoded packet.
public struct DecodedPacket: Sendable, Equatable {
    /// What the packet carries.
    public enum Payload: Sendable, Equatable {
        /// A TCP segment.
        case tcp(TCPSegment)
        /// An ICMP error quoting one of our packets.
        case icmpError(ICMPError)
    }

    /// Capture time, seconds since the epoch.
    public var time: Double
    /// IP source.
    public var source: IPAddress
    /// IP destination.
    public var destination: IPAddress
    /// TTL or hop limit as received.
    public var ttl: Int
    /// The transport payload.
    public var payload: Payload
}
