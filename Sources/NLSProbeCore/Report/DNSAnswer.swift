/// What one resolver answered one query (one name, one family).
public enum DNSAnswer: String, Codable, Sendable, Equatable, CaseIterable {
    /// NOERROR with addresses.
    case addresses
    /// NXDOMAIN: the name does not exist.
    case nxdomain
    /// SERVFAIL: the resolver failed (upstream, DNSSEC, …).
    case servfail
    /// REFUSED: the resolver will not answer this client.
    case refused
    /// NOERROR with no address of this family.
    case noData = "no-data"
    /// Nothing came back within the wait.
    case timeout
    /// ICMP port unreachable: nothing listens on port 53 there.
    case unreachable
    /// The query never left this host: no route to the resolver, or this host's own firewall
    /// refused the send (`DNSQuery.error` says which).
    case notSent = "not-sent"
    /// Another response code, or an answer that could not be read.
    case error
}
