import NLSProbeCore

/// A failed or inconclusive check that no firewall rule fixes: listed apart, with its hint.
public struct UnfixableFailure: Codable, Sendable, Equatable {
    /// The kinds of failure a rule cannot fix.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        /// The name did not resolve.
        case dns
        /// The certificate is not trusted, expired or for another name.
        case untrustedCertificate = "untrusted-certificate"
        /// Something re-signs TLS (inspection).
        case tlsInterception = "tls-interception"
        /// The proxy wants credentials.
        case proxyCredentials = "proxy-credentials"
        /// The destination itself refused: nothing listens (the reset came from the server).
        case serviceDown = "service-down"
        /// TCP works, TLS does not complete (DPI, SNI filtering, not a TLS port).
        case tlsHandshake = "tls-handshake"
        /// TCP works, no valid HTTP answer.
        case httpError = "http-error"
        /// The proxy could not be reached.
        case proxyUnreachable = "proxy-unreachable"
        /// The proxy could not reach the destination, or misbehaved.
        case proxyFailed = "proxy-failed"
        /// The proxy answered plain HTTP itself.
        case proxyUnverified = "proxy-unverified"
        /// This host could not run the check.
        case localError = "local-error"
        /// A path through a proxy failed below the proxy's ACL (the proxy's own route).
        case proxyPath = "proxy-path"

        /// Why no firewall rule fixes it, in a sentence.
        public var why: String {
            switch self {
            case .dns: "the name does not resolve: DNS, not a firewall rule"
            case .untrustedCertificate: "the path works; the certificate is not trusted: a CA or certificate to fix"
            case .tlsInterception: "the path works; TLS inspection re-signs it: an inspection exemption, not a rule"
            case .proxyCredentials: "the proxy wants credentials: credentials, not a rule"
            case .serviceDown: "the destination itself refused (its own reset): the service is down or not listening"
            case .tlsHandshake:
                "TCP gets through; TLS does not complete: DPI/SNI filtering or a service that is not TLS"
            case .httpError: "the connection works; no valid HTTP answer came"
            case .proxyUnreachable: "the proxy itself could not be reached: check the proxy address first"
            case .proxyFailed: "the proxy could not reach the destination or misbehaved: the proxy's own path or health"
            case .proxyUnverified: "the proxy answered itself: nothing shows the request reached the destination"
            case .localError: "this host could not run the check: the network was not tested"
            case .proxyPath:
                "the proxy could not connect onward: a rule for the proxy's own address, which the report does not know"
            }
        }
    }

    /// The check's id.
    public var check: String
    /// What was observed.
    public var observed: Observed?
    /// Fail or inconclusive.
    public var verdict: Verdict
    /// The kind of failure.
    public var kind: Kind
    /// Why no rule fixes it.
    public var why: String
    /// The check's reason.
    public var reason: String
    /// What to do instead (the report's hint for the check).
    public var hint: String
}
