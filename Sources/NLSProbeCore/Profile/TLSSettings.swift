/// TLS settings of a check.
public struct TLSSettings: Sendable, Equatable {
    /// Verify the chain and the host name.
    public var verify: Bool = true
    /// Extra trust anchors (PEM), absolute path.
    public var caFile: String?
    /// Issuer names or SHA-256 pins the chain must come from; empty accepts any trusted issuer.
    public var expectedIssuers: [String] = []

    /// Settings that verify against the system's trust store.
    public init(verify: Bool = true, caFile: String? = nil, expectedIssuers: [String] = []) {
        self.verify = verify
        self.caFile = caFile
        self.expectedIssuers = expectedIssuers
    }
}
