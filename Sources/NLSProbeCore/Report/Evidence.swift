/// Everything a check gathered besides its verdict.
public struct Evidence: Codable, Sendable, Equatable {
    /// Every address the destination name resolved to.
    public var resolvedAddresses: [String]
    /// The local address of the connection.
    public var localAddress: String?
    /// The local port of the connection.
    public var localPort: Int?
    /// The TLS handshake, when one completed.
    public var tls: TLSEvidence?
    /// The HTTP answer, when one came.
    public var http: HTTPEvidence?
    /// What the proxy said, for checks sent through one.
    public var proxy: ProxyEvidence?
    /// What crossed the wire (with `--capture`).
    public var wire: WireEvidence?
    /// The ICMP error that answered the SYN, read from the check's own socket (no capture needed).
    public var icmp: ICMPEvidence?
    /// Where on the path the flow stops (`--trace`, profile `trace: on-failure`).
    public var path: PathEvidence?
    /// What the resolvers answered, for a name that did not resolve.
    public var dns: DNSEvidence?

    /// Creates evidence.
    public init(
        resolvedAddresses: [String] = [], localAddress: String? = nil, localPort: Int? = nil, tls: TLSEvidence? = nil,
        http: HTTPEvidence? = nil, proxy: ProxyEvidence? = nil
    ) {
        self.resolvedAddresses = resolvedAddresses
        self.localAddress = localAddress
        self.localPort = localPort
        self.tls = tls
        self.http = http
        self.proxy = proxy
    }
}
