internal import CCurl

/// OpenSSL's certificate verification result (`X509_V_ERR_*`), with names for those reasons tell
/// apart. The numbers come from the C shim, which checks them against OpenSSL's own at compile time.
struct CertificateVerifyResult: RawRepresentable, Hashable, Sendable, ExpressibleByIntegerLiteral {
    /// OpenSSL's number for the result.
    var rawValue: Int

    /// The result numbered `rawValue`.
    init(rawValue: Int) { self.rawValue = rawValue }

    /// The result numbered `value` (tests and tables write results as numbers).
    init(integerLiteral value: Int) { rawValue = value }

    private init(_ value: nls_verify_error) { rawValue = Int(value.rawValue) }

    /// X509_V_OK: nothing failed (or nothing was verified).
    static var ok: Self { Self(NLS_X509_V_OK) }
    /// X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT: the issuer of a certificate in the chain is unknown.
    static var unableToGetIssuer: Self { Self(NLS_X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT) }
    /// X509_V_ERR_CERT_NOT_YET_VALID.
    static var notYetValid: Self { Self(NLS_X509_V_ERR_CERT_NOT_YET_VALID) }
    /// X509_V_ERR_CERT_HAS_EXPIRED.
    static var expired: Self { Self(NLS_X509_V_ERR_CERT_HAS_EXPIRED) }
    /// X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT: the leaf signs itself.
    static var selfSignedLeaf: Self { Self(NLS_X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT) }
    /// X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN: the chain ends in a root this host does not trust.
    static var untrustedRootInChain: Self { Self(NLS_X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN) }
    /// X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY: the issuer is not among the trusted anchors.
    static var unableToGetIssuerLocally: Self { Self(NLS_X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY) }
    /// X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE: a lone leaf whose issuer is unknown.
    static var unableToVerifyLeafSignature: Self { Self(NLS_X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE) }
}
