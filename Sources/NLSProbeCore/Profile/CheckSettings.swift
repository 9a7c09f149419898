/// The settings every check of a flow runs with: the profile's defaults, the flow's overrides.
public struct CheckSettings: Sendable, Equatable {
    /// Seconds to wait for the TCP handshake.
    public var connectTimeout: Double = 3
    /// Seconds to wait for the TLS handshake once TCP is up.
    public var tlsTimeout: Double = 5
    /// Seconds to wait for the resolver.
    public var dnsTimeout: Double = 5
    /// Seconds to wait for an HTTP response once the connection is up.
    public var requestTimeout: Double = 10
    /// How many attempts a check gets; it stops at the first that meets the expectation.
    public var attempts: Int = 2
    /// Direct, the environment, or an explicit proxy.
    public var proxy: ProxySetting = .direct
    /// The environment variable that holds "user:password" for the proxy.
    public var proxyCredentialsEnv: String? = "NLSPROBE_PROXY_CREDENTIALS"
    /// TLS verification.
    public var tls = TLSSettings()
    /// The path requested by `http` and `https` checks.
    public var httpPath: String = "/"
    /// Whether a failed check's path is traced.
    public var trace: TraceMode = .off

    /// The built-in defaults.
    public init() {}
}
