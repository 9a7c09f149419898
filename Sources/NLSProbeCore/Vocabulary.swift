/// The protocol a flow is checked with.
public enum FlowProtocol: String, Codable, Sendable, CaseIterable {
    /// TCP connect only.
    case tcp
    /// TCP connect and a TLS handshake.
    case tls
    /// One HTTPS request.
    case https
    /// One plain HTTP request.
    case http

    /// True when the check performs a TLS handshake.
    public var usesTLS: Bool { self == .tls || self == .https }
}

/// The firewall's point of view on a flow; a label carried into reports.
public enum Direction: String, Codable, Sendable, CaseIterable {
    /// Leaving the protected network.
    case egress
    /// Entering the protected network.
    case ingress
}

/// What the firewall change request says should happen to a flow.
public enum Expectation: String, Codable, Sendable, CaseIterable {
    /// The path must work.
    case allow
    /// The path must be closed.
    case block
}

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

/// The verdict of a check or of a run.
public enum Verdict: String, Codable, Sendable, CaseIterable, Comparable {
    /// The observation meets the expectation.
    case pass
    /// The observation contradicts the expectation.
    case fail
    /// The observation says nothing about the firewall (DNS, this host, the proxy's login).
    case inconclusive
    /// This host was not in a position to run the check.
    case skipped

    /// Judges an observation against an expectation (the verdict rules of the README's "What a check observes").
    public static func judge(expect: Expectation, observed: Observed) -> Verdict {
        switch expect {
        case .allow:
            switch observed {
            case .open: return .pass
            case .localError, .proxyUnverified: return .inconclusive
            default: return .fail
            }
        case .block:
            switch observed {
            case .refused, .filtered, .unreachable, .proxyDenied, .proxyFailed: return .pass
            case .open, .tlsFailed, .tlsUntrusted, .tlsIntercepted, .httpError: return .fail
            case .dnsFailed, .localError, .proxyUnreachable, .proxyAuthRequired, .proxyUnverified:
                return .inconclusive
            }
        }
    }

    /// The run's verdict: fail if any failed, else inconclusive if any was inconclusive or
    /// nothing ran at all, else pass.
    public static func overall(_ verdicts: [Verdict]) -> Verdict {
        if verdicts.contains(.fail) { return .fail }
        if verdicts.contains(.inconclusive) { return .inconclusive }
        if !verdicts.contains(.pass) { return .inconclusive }
        return .pass
    }

    private var rank: Int {
        switch self {
        case .pass: 0
        case .skipped: 1
        case .inconclusive: 2
        case .fail: 3
        }
    }

    /// Orders verdicts from best to worst: pass, skipped, inconclusive, fail.
    public static func < (lhs: Verdict, rhs: Verdict) -> Bool { lhs.rank < rhs.rank }
}
