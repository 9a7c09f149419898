/// The protocol a flow is checked with.
public enum FlowProtocol: String, Codable, Sendable, CaseIterable {
    /// TCP connect only.
    case tcp
    /// TCP connect and a TLS handshake.
    case tls
    /// One HTTPS request.
    case https
    /// One plain HTTP request.
    case http

    /// True when the check performs a TLS handshake.
    public var usesTLS: Bool { self == .tls || self == .https }
}
