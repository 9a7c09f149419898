/// A TCP segment as far as nlsprobe cares.
public struct TCPSegment: Sendable, Equatable {
    /// Source port.
    public var sourcePort: UInt16
    /// Destination port.
    public var destinationPort: UInt16
    /// The flag byte (FIN 0x01, SYN 0x02, RST 0x04, PSH 0x08, ACK 0x10).
    public var flags: UInt8
    /// Bytes of payload captured.
    public var payloadLength: Int
    /// What the payload starts with, when it is a TLS record.
    public var tls: TLSRecordKind?

    /// True for a SYN without ACK.
    public var isSYN: Bool { flags & 0x02 != 0 && flags & 0x10 == 0 }
    /// True for a SYN-ACK.
    public var isSYNACK: Bool { flags & 0x12 == 0x12 }
    /// True for a reset.
    public var isRST: Bool { flags & 0x04 != 0 }
}
