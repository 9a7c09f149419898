/// The parts of a TLS record that tell how a handshake went.
public enum TLSRecordKind: Sendable, Equatable {
    /// A ClientHello handshake message.
    case clientHello
    /// A ServerHello handshake message.
    case serverHello
    /// An alert record.
    case alert
    /// Any other TLS record.
    case other
}
