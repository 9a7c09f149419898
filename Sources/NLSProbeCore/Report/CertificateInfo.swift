/// One certificate of the chain as the server presented it.
public struct CertificateInfo: Codable, Sendable, Equatable {
    /// Subject distinguished name.
    public var subject: String
    /// Issuer distinguished name.
    public var issuer: String
    /// Start of validity.
    public var notBefore: String
    /// End of validity.
    public var notAfter: String
    /// SHA-256 of the DER encoding, lowercase hex.
    public var sha256: String

    /// Creates certificate information.
    public init(subject: String, issuer: String, notBefore: String, notAfter: String, sha256: String) {
        self.subject = subject
        self.issuer = issuer
        self.notBefore = notBefore
        self.notAfter = notAfter
        self.sha256 = sha256
    }
}
