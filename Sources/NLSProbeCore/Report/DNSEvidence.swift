/// Why a name did not resolve, asked of the resolvers themselves: what /etc/resolv.conf (the
/// namespace's own under `ip netns exec`) lists, which server answered what, per family.
public struct DNSEvidence: Codable, Sendable, Equatable {
    /// The resolv.conf read.
    public var resolvConf: String
    /// Its nameservers, in order.
    public var servers: [String]
    /// Its search domains, in order.
    public var search: [String]
    /// True when the hosts file lists the name (getaddrinfo answers from it before DNS, as
    /// nsswitch.conf's usual "files dns" says).
    public var hostsFile: Bool
    /// Every query, in the order asked.
    public var queries: [DNSQuery]
    /// One line: "resolver 198.18.140.53 answered NXDOMAIN for x.lab.test (A and AAAA)".
    public var summary: String

    /// Creates DNS evidence.
    public init(
        resolvConf: String, servers: [String], search: [String], hostsFile: Bool, queries: [DNSQuery], summary: String
    ) {
        self.resolvConf = resolvConf
        self.servers = servers
        self.search = search
        self.hostsFile = hostsFile
        self.queries = queries
        self.summary = summary
    }
}
