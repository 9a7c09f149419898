import NLSProbeCore

/// Concrete next steps per observation: which rule to open, which CA to trust.
public enum Hints {
    /// The hint for a failed or inconclusive check. With the report's `profile`, a profile made
    /// from a client configuration token (`--token`, no profile file to edit) gets hints that name
    /// command-line options only.
    public static func hint(for check: CheckRecord, profile: ProfileInfo? = nil) -> String {
        let fromToken = profile?.reference?.hasPrefix("client configuration token ") == true
        let source = check.source.address ?? "the \(check.source.group) subnet"
        let destination = check.destination.address ?? check.destination.host
        let port = "\(check.flow.port)/tcp"
        guard let observed = check.observed else { return "The check did not run from this host." }
        if check.expect == .block && check.verdict == .fail {
            return
                "The change request says this flow must be blocked, but \(destination) \(port) answered from \(source). Add or fix the deny rule for \(source) → \(destination) \(port)."
        }
        if check.verdict == .fail, let located = PathHints.hint(for: check) { return located }
        switch observed {
        case .open:
            return "No action needed."
        case .refused where check.evidence.wire?.injectedReset == true:
            return
                "A firewall or middlebox on the path rejects \(source) → \(destination) \(port) with tcp-reset (the reset's TTL shows it did not come from the server). Open that rule."
        case .refused:
            return
                "A TCP reset came back: nothing listens on \(destination) \(port), or a firewall rejects with tcp-reset. Check the service is up; if it is, open \(source) → \(destination) \(port)."
        case .filtered:
            return
                "Something silently drops \(source) → \(destination) \(port). Open that rule on the firewall in the path (and check the return route)."
        case .unreachable:
            return
                "An ICMP error or a missing route stops \(source) → \(destination) \(port). Look for a 'reject with icmp' rule or a missing route on the path."
        case .dnsFailed:
            return
                "Make this host's resolver (/etc/resolv.conf) answer for \(check.destination.host); with split-horizon DNS, the client subnet's resolver must know it. Then run again."
        case .tlsFailed where check.evidence.wire?.resetAfterClientHello == true:
            return
                "TCP reaches \(destination) \(port), but the ClientHello is answered by a reset: look for DPI/SNI filtering on the path (a firewall or proxy that blocks by server name)."
        case .tlsFailed:
            return
                "TCP reaches \(destination) \(port) but TLS does not complete: look for DPI/SNI filtering or a cipher policy on the path, or a service on this port that does not speak TLS."
        case .tlsUntrusted:
            return
                "Make the certificate trusted: give the service's CA with "
                + (fromToken ? "--ca-file FILE" : "--ca-file FILE or tls.ca_file in the profile")
                + " (a DLS with its own CA), or fix the certificate (its name must be \(check.destination.host), and it must be in its validity period)."
        case .tlsIntercepted:
            return
                "Something re-signs TLS to \(check.destination.host): exempt it from TLS inspection on the proxy or firewall (licensed clients reject re-signed certificates)."
        case .proxyUnreachable:
            return
                "The proxy could not be reached from \(source): check the proxy address and that the firewall allows this host to the proxy port."
        case .proxyAuthRequired:
            return
                "The proxy wants credentials: set them in the variable the profile names in proxy_credentials_env (\"user:password\")."
        case .proxyDenied:
            return
                "The proxy's ACL refuses CONNECT to \(check.destination.host):\(check.flow.port): allow it in the proxy's rules."
        case .proxyFailed:
            return
                "The proxy could not reach \(check.destination.host):\(check.flow.port), or did not answer properly itself (see the reason): open egress from the proxy to it, or fix the proxy."
        case .proxyUnverified:
            return
                "The proxy answered the plain HTTP request itself without marking it as forwarded (no Via header): check the proxy's logs for \(check.destination.host):\(check.flow.port), or test with https, whose CONNECT the proxy must answer."
        case .httpError:
            return
                "The connection works but no valid HTTP answer came: look for a middlebox that breaks HTTP, or check that this port serves HTTP."
        case .localError:
            return
                "This host could not run the check (\(check.reason)). Fix the probe host and run again; the network was not tested."
        }
    }
}
