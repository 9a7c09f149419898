/// What the proxy said, for checks sent through one.
public struct ProxyEvidence: Codable, Sendable, Equatable {
    /// The proxy as configured (never with credentials).
    public var url: String
    /// The address and port the proxy was reached at.
    public var address: String?
    /// The status line of the proxy's answer to CONNECT (or to the request, for plain HTTP through it).
    public var status: String?
    /// The proxy's `Server` header.
    public var server: String?
    /// The proxy's `Via` header.
    public var via: String?
    /// The proxy's own error code (squid's `X-Squid-Error`).
    public var error: String?
    /// The authentication schemes the proxy offered.
    public var authOffered: [String]
    /// Whether credentials were sent (never the credentials themselves).
    public var credentialsSent: Bool

    /// Creates proxy evidence.
    public init(
        url: String, address: String? = nil, status: String? = nil, server: String? = nil, via: String? = nil,
        error: String? = nil, authOffered: [String] = [], credentialsSent: Bool = false
    ) {
        self.url = url
        self.address = address
        self.status = status
        self.server = server
        self.via = via
        self.error = error
        self.authOffered = authOffered
        self.credentialsSent = credentialsSent
    }
}
