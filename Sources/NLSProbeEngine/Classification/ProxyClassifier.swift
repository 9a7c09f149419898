internal import CCurl
import NLSProbeCore

#if canImport(Glibc)
    import Glibc
#endif

/// What a proxied attempt's proxy said or did, when that decides the observation: the proxy could
/// not be reached, refused, failed, stalled or answered with something that is not HTTP. Nil when
/// the proxy did its part (a tunnel opened, or a plain HTTP answer came from the destination), so
/// the destination's own behaviour decides.
enum ProxyClassifier {
    /// The proxy's part in a proxied attempt's observation; nil when the destination's decides.
    static func observation(_ raw: RawAttempt, check: PlannedCheck) -> (Observed, String)? {
        var raw = raw
        if raw.route == .none, case .url = check.settings.proxy {
            raw.route = ProxyRoute.of(check.settings.proxy, scheme: "https", host: check.host) { _ in nil }
        }
        let proxy = check.settings.proxy.description
        let target = "\(check.host):\(check.port)"
        if raw.curlCode == .proxy {  // the proxy answered the SOCKS handshake with an error
            return socksObservation(raw, proxy: proxy, target: target)
        }
        if raw.curlCode == .couldntResolveProxy {
            return (.proxyUnreachable, "the proxy \(proxy) did not resolve: \(Classifier.tidy(raw.curlMessage))")
        }
        if !raw.tcpConnected {
            if raw.synTimedOut || raw.curlCode == .operationTimedOut {
                return (
                    .proxyUnreachable,
                    "no answer from the proxy \(proxy) within \(Durations.format(check.settings.connectTimeout))"
                )
            }
            if raw.curlCode == .couldntConnect && raw.osErrno == ECONNRESET {
                return (
                    .proxyFailed,
                    "the proxy \(proxy) accepted the TCP connection, then reset it before opening a tunnel to \(target)"
                )
            }
            if raw.curlCode == .couldntConnect {
                // The check's SYN went to the proxy: an ICMP error read from its socket names a hop
                // on the way to the proxy, not to the destination.
                let why = raw.icmp.map { "ICMP \($0.summary) in answer to the SYN to the proxy" }
                return (
                    .proxyUnreachable,
                    "the proxy \(proxy) could not be reached: \(why ?? Classifier.errnoText(raw.osErrno))"
                )
            }
        }
        if raw.route == .https && raw.proxyConnectCode == 0
            && (raw.curlCode == .sslConnectError || raw.curlCode == .peerFailedVerification)
        {
            return (
                .proxyUnreachable,
                "the TLS connection to the proxy \(proxy) failed: \(Classifier.tidy(raw.curlMessage))"
            )
        }
        switch raw.route {
        case .socks:
            return socksStall(raw, proxy: proxy, target: target, check: check)
        case .http, .https:
            return raw.route.tunnels(check.proto)
                ? tunnelObservation(raw, proxy: proxy, target: target)
                : plainHTTPObservation(raw, proxy: proxy, target: target, check: check)
        case .none:
            return nil
        }
    }

    /// What the proxy's own answer said, for reasons: its error tag and its Server header.
    static func detail(_ raw: RawAttempt) -> String {
        let said = [raw.proxy?.error, raw.proxy?.server.map { "Server: \($0)" }].compactMap { $0 }
        return said.isEmpty ? "" : " (\(said.joined(separator: ", ")))"
    }

    /// A CONNECT tunnel: the proxy's answer to CONNECT decides, or its silence, or its garbage.
    static func tunnelObservation(_ raw: RawAttempt, proxy: String, target: String) -> (Observed, String)? {
        let status = raw.proxyConnectCode
        if status >= 300 {
            return refusal(status: status, raw: raw, proxy: proxy, target: target, forwarded: false)
        }
        if !raw.tunnelOpen {
            if raw.phaseTimedOut == .tunnel {
                return (
                    .proxyFailed,
                    "the proxy \(proxy) accepted the connection but did not answer CONNECT \(target) in full within "
                        + Durations.format(raw.phaseBudget)
                )
            }
            if raw.curlCode == .ok {
                // Finished without a complete yes to CONNECT: never taken for an open tunnel.
                return (
                    .proxyFailed,
                    "the proxy \(proxy) did not complete its answer to CONNECT \(target) (no 2xx status with its end)"
                )
            }
            return (
                .proxyFailed,
                "the proxy \(proxy) did not answer CONNECT \(target) with a valid HTTP response: "
                    + Classifier.tidy(raw.curlMessage)
            )
        }
        return nil
    }

    /// Plain HTTP through an HTTP proxy: the proxy answers the request itself, so its answer may be
    /// its own (an error page, a login redirect, a block page) or the destination's, forwarded. An
    /// answer counts as the destination's only when the proxy marked it as forwarded (`Via`, which
    /// a proxy must add to what it forwards) and not as its own (`X-Squid-Error`), and its status
    /// is not one proxies give for their own refusals (403, 407, 502, 503, 504, 511). Anything
    /// else is the proxy's word: a refusal, a failure, or, for a success or redirect with no sign
    /// of forwarding, unverified. A stall or garbage is the proxy's.
    static func plainHTTPObservation(
        _ raw: RawAttempt, proxy: String, target: String, check: PlannedCheck
    ) -> (Observed, String)? {
        if raw.phaseTimedOut == .request {
            return (
                .proxyFailed,
                "the proxy \(proxy) took the request for \(target) but no complete answer came within "
                    + "\(Durations.format(raw.phaseBudget)) (the proxy, or the destination behind it, did not answer)"
            )
        }
        let status = raw.responseCode
        if status == 0 {
            guard raw.curlCode != .ok, raw.curlCode != .writeError || !raw.bodySeen else { return nil }
            return (
                .proxyFailed,
                "no valid HTTP answer came through the proxy \(proxy) for \(target): \(Classifier.tidy(raw.curlMessage))"
            )
        }
        let forwarded = raw.proxy?.via != nil && raw.proxy?.error == nil
        let proxyStatuses: Set<Int> = [403, 407, 502, 503, 504, 511]
        if forwarded && !proxyStatuses.contains(status) { return nil }
        if status < 400 {
            let phrase = "\(status) \(HTTPStatus.phrase(status))"
            return (
                .proxyUnverified,
                "the proxy \(proxy) answered \(phrase) for \(target) without marking it as forwarded "
                    + "(no Via header)\(detail(raw)): nothing proves the request reached \(target)"
            )
        }
        return refusal(status: status, raw: raw, proxy: proxy, target: target, forwarded: false)
    }

    /// An error status from the proxy: 407 asks for credentials, 502/503/504 say it could not reach
    /// the destination, anything else from 300 up refuses (unless forwarded from the destination).
    static func refusal(
        status: Int, raw: RawAttempt, proxy: String, target: String, forwarded: Bool
    ) -> (Observed, String)? {
        let detail = detail(raw)
        let phrase = "\(status) \(HTTPStatus.phrase(status))"
        switch status {
        case 407:
            let credentials =
                raw.proxy?.credentialsSent == true ? "the credentials sent were refused" : "no credentials were sent"
            return (
                .proxyAuthRequired,
                "proxy \(proxy) answered 407 Proxy Authentication Required (\(credentials))\(offered(raw))"
            )
        case 502, 503, 504:
            return (.proxyFailed, "proxy \(proxy) answered \(phrase): it could not reach \(target)\(detail)")
        case 300...599 where !forwarded:
            let own =
                raw.proxyConnectCode > 0 || raw.proxy?.error != nil
                ? ""
                : raw.proxy?.via == nil
                    ? " and did not mark it as forwarded (no Via header)"
                    : " (a status proxies give for their own refusals)"
            return (.proxyDenied, "proxy \(proxy) refused \(target) with \(phrase)\(own)\(detail)")
        case 300...599:
            return nil  // forwarded from the destination: its answer
        default:
            // Not an HTTP status at all: the proxy's answer is broken, whoever made it up.
            return (
                .proxyFailed,
                "proxy \(proxy) answered for \(target) with status \(status), which is not an HTTP status\(detail)"
            )
        }
    }

    /// "; it offers Basic, NTLM": the schemes a proxy asking for credentials offers.
    static func offered(_ raw: RawAttempt) -> String {
        guard let schemes = raw.proxy?.authOffered, !schemes.isEmpty else { return "" }
        return "; it offers \(schemes.joined(separator: ", "))"
    }

    /// A SOCKS tunnel whose end libcurl does not show: when the attempt stalls, what came back from
    /// the destination through it (a TLS record, an HTTP byte) says whether the tunnel had opened.
    static func socksStall(
        _ raw: RawAttempt, proxy: String, target: String, check: PlannedCheck
    ) -> (Observed, String)? {
        guard raw.phaseTimedOut == .tunnel else { return nil }
        let heardFromDestination = raw.tls != nil || raw.startTransferTime > 0 || raw.responseCode > 0
        let budget = Durations.format(raw.phaseBudget)
        if heardFromDestination {
            if check.proto.usesTLS && raw.appConnectTime == 0 {
                return (
                    .tlsFailed,
                    "the SOCKS proxy \(proxy) opened the tunnel, but the TLS handshake with \(target) did not complete "
                        + "(the whole check has \(budget) through a SOCKS proxy)"
                )
            }
            return (
                .httpError,
                "the SOCKS proxy \(proxy) opened the tunnel, but no complete HTTP response came from \(target) within \(budget)"
            )
        }
        return (
            .proxyFailed,
            "nothing came back through the SOCKS proxy \(proxy) for \(target) within \(budget): the proxy did not "
                + "complete the SOCKS handshake, or the destination behind it did not answer"
        )
    }

    /// SOCKS replies (CURLINFO_PROXY_ERROR): what the proxy says happened at the destination.
    static func socksObservation(_ raw: RawAttempt, proxy: String, target: String) -> (Observed, String) {
        let error = UInt32(truncatingIfNeeded: raw.proxyError)
        switch error {
        case CURLPX_REPLY_CONNECTION_REFUSED.rawValue:
            return (.refused, "the SOCKS proxy \(proxy) reports that \(target) refused the connection (TCP reset)")
        case CURLPX_REPLY_HOST_UNREACHABLE.rawValue, CURLPX_REPLY_NETWORK_UNREACHABLE.rawValue:
            return (.unreachable, "the SOCKS proxy \(proxy) reports \(target) unreachable")
        case CURLPX_REPLY_TTL_EXPIRED.rawValue:
            return (.proxyFailed, "the SOCKS proxy \(proxy) got no answer from \(target) (TTL expired)")
        case CURLPX_REPLY_NOT_ALLOWED.rawValue:
            return (.proxyDenied, "the SOCKS proxy \(proxy) does not allow a connection to \(target)")
        case CURLPX_RESOLVE_HOST.rawValue:
            return (.dnsFailed, "the SOCKS proxy \(proxy) could not resolve the name in \(target)")
        case CURLPX_NO_AUTH.rawValue, CURLPX_USER_REJECTED.rawValue, CURLPX_RECV_AUTH.rawValue,
            CURLPX_SEND_AUTH.rawValue:
            return (
                .proxyAuthRequired,
                "the SOCKS proxy \(proxy) did not accept the authentication: \(Classifier.tidy(raw.curlMessage))"
            )
        default:
            return (
                .proxyFailed,
                "the SOCKS proxy \(proxy) failed to connect to \(target): \(Classifier.tidy(raw.curlMessage))"
            )
        }
    }
}
