/// Everything a check gathered besides its verdict.
///
/// The seven kinds of evidence a check may have (TLS, HTTP, proxy, wire, ICMP, path, DNS) are kept
/// together out of line, allocated only once one is set: most checks have none or one, and a
/// record, which a run moves and copies as it settles, orders and writes its checks, stays a few
/// hundred bytes instead of a thousand. They read and change like stored properties; setting one
/// replaces the shared part (never seen by another copy).
public struct Evidence: Codable, Sendable, Equatable, CustomReflectable {
    /// Every address the destination name resolved to.
    public var resolvedAddresses: [String]
    /// The local address of the connection.
    public var localAddress: String?
    /// The local port of the connection.
    public var localPort: Int?
    /// The evidence beyond addresses; nil when the check has none.
    private var details: Details?

    /// Creates evidence.
    public init(
        resolvedAddresses: [String] = [], localAddress: String? = nil, localPort: Int? = nil, tls: TLSEvidence? = nil,
        http: HTTPEvidence? = nil, proxy: ProxyEvidence? = nil, icmp: ICMPEvidence? = nil
    ) {
        self.resolvedAddresses = resolvedAddresses
        self.localAddress = localAddress
        self.localPort = localPort
        if tls != nil || http != nil || proxy != nil || icmp != nil {
            details = Details(Details.Values(tls: tls, http: http, proxy: proxy, icmp: icmp))
        }
    }

    /// Creates evidence of addresses only (most checks have no more): nothing else to look at.
    public init(resolvedAddresses: [String], localAddress: String?, localPort: Int?) {
        self.resolvedAddresses = resolvedAddresses
        self.localAddress = localAddress
        self.localPort = localPort
    }

    /// The TLS handshake, when one completed.
    public var tls: TLSEvidence? {
        get { details?.values.tls }
        set { set(\.tls, newValue) }
    }

    /// The HTTP answer, when one came.
    public var http: HTTPEvidence? {
        get { details?.values.http }
        set { set(\.http, newValue) }
    }

    /// What the proxy said, for checks sent through one.
    public var proxy: ProxyEvidence? {
        get { details?.values.proxy }
        set { set(\.proxy, newValue) }
    }

    /// What crossed the wire (with `--capture`).
    public var wire: WireEvidence? {
        get { details?.values.wire }
        set { set(\.wire, newValue) }
    }

    /// The ICMP error that answered the SYN, read from the check's own socket (no capture needed).
    public var icmp: ICMPEvidence? {
        get { details?.values.icmp }
        set { set(\.icmp, newValue) }
    }

    /// Where on the path the flow stops (`--trace`, profile `trace: on-failure`).
    public var path: PathEvidence? {
        get { details?.values.path }
        set { set(\.path, newValue) }
    }

    /// What the resolvers answered, for a name that did not resolve.
    public var dns: DNSEvidence? {
        get { details?.values.dns }
        set { set(\.dns, newValue) }
    }

    /// Sets one of the evidence beyond addresses: new details in place of the shared ones (left
    /// untouched for the other copies); none at all once every one is nil.
    private mutating func set<Value>(_ field: WritableKeyPath<Details.Values, Value?>, _ newValue: Value?) {
        guard newValue != nil || details != nil else { return }
        var values = details?.values ?? Details.Values()
        values[keyPath: field] = newValue
        details = Details.holding(values)
    }

    /// Equal when every field is: the shared part is compared by what it holds.
    public static func == (lhs: Evidence, rhs: Evidence) -> Bool {
        lhs.resolvedAddresses == rhs.resolvedAddresses && lhs.localAddress == rhs.localAddress
            && lhs.localPort == rhs.localPort && lhs.details?.values == rhs.details?.values
    }

    /// The fields as if each were stored in the struct (as they read and encode).
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "resolvedAddresses": resolvedAddresses, "localAddress": localAddress as Any,
                "localPort": localPort as Any, "tls": tls as Any, "http": http as Any, "proxy": proxy as Any,
                "wire": wire as Any, "icmp": icmp as Any, "path": path as Any, "dns": dns as Any,
            ], displayStyle: .struct)
    }

    private enum CodingKeys: String, CodingKey {
        case resolvedAddresses, localAddress, localPort, tls, http, proxy, wire, icmp, path, dns
    }

    /// Decodes the fields as a struct with these stored properties would (optionals may be absent).
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        resolvedAddresses = try container.decode([String].self, forKey: .resolvedAddresses)
        localAddress = try container.decodeIfPresent(String.self, forKey: .localAddress)
        localPort = try container.decodeIfPresent(Int.self, forKey: .localPort)
        let values = Details.Values(
            tls: try container.decodeIfPresent(TLSEvidence.self, forKey: .tls),
            http: try container.decodeIfPresent(HTTPEvidence.self, forKey: .http),
            proxy: try container.decodeIfPresent(ProxyEvidence.self, forKey: .proxy),
            wire: try container.decodeIfPresent(WireEvidence.self, forKey: .wire),
            icmp: try container.decodeIfPresent(ICMPEvidence.self, forKey: .icmp),
            path: try container.decodeIfPresent(PathEvidence.self, forKey: .path),
            dns: try container.decodeIfPresent(DNSEvidence.self, forKey: .dns))
        details = Details.holding(values)
    }

    /// Encodes the fields as a struct with these stored properties would (nil optionals left out).
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(resolvedAddresses, forKey: .resolvedAddresses)
        try container.encodeIfPresent(localAddress, forKey: .localAddress)
        try container.encodeIfPresent(localPort, forKey: .localPort)
        try container.encodeIfPresent(tls, forKey: .tls)
        try container.encodeIfPresent(http, forKey: .http)
        try container.encodeIfPresent(proxy, forKey: .proxy)
        try container.encodeIfPresent(wire, forKey: .wire)
        try container.encodeIfPresent(icmp, forKey: .icmp)
        try container.encodeIfPresent(path, forKey: .path)
        try container.encodeIfPresent(dns, forKey: .dns)
    }

    /// The evidence beyond addresses, shared by the copies of a record until one of them sets a
    /// field (which puts new details in its place: these never change).
    private final class Details: Sendable {
        struct Values: Sendable, Equatable {
            var tls: TLSEvidence?
            var http: HTTPEvidence?
            var proxy: ProxyEvidence?
            var wire: WireEvidence?
            var icmp: ICMPEvidence?
            var path: PathEvidence?
            var dns: DNSEvidence?

            var isEmpty: Bool {
                tls == nil && http == nil && proxy == nil && wire == nil && icmp == nil && path == nil && dns == nil
            }
        }

        let values: Values

        init(_ values: Values) { self.values = values }

        /// Details holding `values`; nil when they hold nothing.
        static func holding(_ values: Values) -> Details? { values.isEmpty ? nil : Details(values) }
    }
}
