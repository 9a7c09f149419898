/// Exactly one observation per check (the README's "What a check observes" gives typical causes).
public enum Observed: String, Codable, Sendable, CaseIterable {
    /// TCP connected and the protocol's handshake or request completed.
    case open
    /// A TCP reset answered the SYN.
    case refused
    /// No answer within the connect timeout.
    case filtered
    /// ICMP destination unreachable, or no route.
    case unreachable
    /// The name did not resolve.
    case dnsFailed = "dns-failed"
    /// TCP connected, the TLS handshake did not complete.
    case tlsFailed = "tls-failed"
    /// The handshake completed, the certificate is not trusted, expired or for another name.
    case tlsUntrusted = "tls-untrusted"
    /// The handshake completed with a certificate from an unexpected issuer.
    case tlsIntercepted = "tls-intercepted"
    /// The proxy itself could not be reached.
    case proxyUnreachable = "proxy-unreachable"
    /// The proxy answered 407.
    case proxyAuthRequired = "proxy-auth-required"
    /// The proxy refused to tunnel (403 and other refusals).
    case proxyDenied = "proxy-denied"
    /// The proxy could not reach the destination (502/503/504), or misbehaved itself.
    case proxyFailed = "proxy-failed"
    /// Plain HTTP through a proxy: the proxy answered without marking the answer as forwarded
    /// (no `Via`), so nothing proves the request reached the destination.
    case proxyUnverified = "proxy-unverified"
    /// No valid HTTP response.
    case httpError = "http-error"
    /// This host could not run the check.
    case localError = "local-error"

    /// True when TCP got through to something that answered above the TCP layer.
    public var tcpGotThrough: Bool {
        switch self {
        case .open, .tlsFailed, .tlsUntrusted, .tlsIntercepted, .httpError: true
        default: false
        }
    }
}
