/// What the TLS handshake showed.
public struct TLSEvidence: Codable, Sendable, Equatable {
    /// Protocol version ("TLSv1.3").
    public var version: String?
    /// Cipher suite (IANA name).
    public var cipher: String?
    /// The protocol the server selected by ALPN.
    public var alpn: String?
    /// The chain as presented, leaf first.
    public var chain: [CertificateInfo]

    /// Creates TLS evidence.
    public init(version: String? = nil, cipher: String? = nil, alpn: String? = nil, chain: [CertificateInfo] = []) {
        self.version = version
        self.cipher = cipher
        self.alpn = alpn
        self.chain = chain
    }
}
