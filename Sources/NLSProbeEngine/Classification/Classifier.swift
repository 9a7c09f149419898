import NLSProbeCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Turns what libcurl and the socket reported into exactly one observation and its reason.
/// Pure: the inputs are plain values, so any branch can be unit-tested without a network.
enum Classifier {
    /// The outcome of one attempt: its observation and reason, its phase timings in milliseconds
    /// and its evidence.
    static func classify(_ raw: RawAttempt, check: PlannedCheck) -> AttemptOutcome {
        let (observed, reason) = observation(raw, check: check)
        let localPort = raw.localPort ?? (raw.boundPort > 0 ? raw.boundPort : nil)
        // Most attempts (every plain TCP one that connected) saw neither TLS, HTTP, a proxy nor ICMP.
        let plain: Bool
        if case .none = raw.tls, case .none = raw.http, case .none = raw.proxy, case .none = raw.icmp {
            plain = true
        } else {
            plain = false
        }
        let evidence =
            plain
            ? Evidence(resolvedAddresses: check.resolvedAddresses, localAddress: raw.localAddress, localPort: localPort)
            : Evidence(
                resolvedAddresses: check.resolvedAddresses, localAddress: raw.localAddress, localPort: localPort,
                tls: raw.tls, http: raw.http, proxy: raw.proxy, icmp: raw.icmp)
        let connect = raw.connectTime > 0 ? raw.connectTime : nil
        let tls = check.proto.usesTLS && raw.appConnectTime > 0 ? raw.appConnectTime - raw.connectTime : nil
        let request =
            raw.startTransferTime > 0 ? raw.startTransferTime - max(raw.appConnectTime, raw.connectTime) : nil
        var outcome = AttemptOutcome(
            observed: observed, reason: reason, elapsedMs: Durations.milliseconds(raw.elapsed),
            connectMs: connect.map(Durations.milliseconds), tlsMs: tls.map(Durations.milliseconds),
            requestMs: request.map(Durations.milliseconds), evidence: evidence)
        outcome.startedAt = raw.startedAt
        return outcome
    }

    /// The observation and its reason: the transport's own, or `tlsIntercepted` when the chain
    /// shows re-signing.
    static func observation(_ raw: RawAttempt, check: PlannedCheck) -> (Observed, String) {
        let (observed, reason) = transportObservation(raw, check: check)
        if observed == .open || observed == .tlsUntrusted, let intercepted = interception(raw, check: check) {
            return (.tlsIntercepted, intercepted)
        }
        return (observed, reason)
    }

    /// With `tls.expected_issuers` set, a chain in which no certificate comes from (or is) an expected
    /// issuer was re-signed on the way: a TLS-inspecting proxy or firewall.
    static func interception(_ raw: RawAttempt, check: PlannedCheck) -> String? {
        let expected = check.settings.tls.expectedIssuers
        guard check.proto.usesTLS, !expected.isEmpty, let chain = raw.tls?.chain, let leaf = chain.first else {
            return nil
        }
        let pins = expected.map { $0.replacingOccurrences(of: ":", with: "").lowercased() }
        let matches = chain.contains { certificate in
            pins.contains(certificate.sha256)
                || expected.contains { name in
                    certificate.issuer.localizedCaseInsensitiveContains(name)
                        || (certificate != leaf && certificate.subject.localizedCaseInsensitiveContains(name))
                }
        }
        if matches { return nil }
        return "TLS handshake completed with a certificate issued by \(leaf.issuer), not by an expected issuer "
            + "(\(expected.joined(separator: ", "))): something on the path re-signs the traffic"
    }

    /// What the socket and libcurl saw, before any judgement of the chain's issuer.
    static func transportObservation(_ raw: RawAttempt, check: PlannedCheck) -> (Observed, String) {
        let settings = check.settings
        // Only failures name the target: not formatted for the checks that connected.
        var target: String {
            check.address.map { "\(IPAddress($0)?.urlForm ?? $0):\(check.port)" } ?? "\(check.host):\(check.port)"
        }
        if raw.interrupted {
            return (.localError, "interrupted before the check finished")
        }
        if raw.bindFailed {
            let source = check.sourceAddress ?? "the source address"
            if raw.socketErrno == EADDRNOTAVAIL {
                return (.localError, "source address \(source) is not on this host (\(errnoText(raw.socketErrno)))")
            }
            return (.localError, "could not bind source address \(source): \(errnoText(raw.socketErrno))")
        }
        if raw.socketErrno != 0 {
            if raw.socketErrno == EMFILE || raw.socketErrno == ENFILE {
                return (
                    .localError,
                    "out of file descriptors (\(errnoText(raw.socketErrno))); lower --concurrency or raise ulimit -n"
                )
            }
            return (.localError, "could not open a socket: \(errnoText(raw.socketErrno))")
        }
        let proxied = settings.proxy.isProxied
        if proxied, let proxyResult = ProxyClassifier.observation(raw, check: check) {
            return proxyResult
        }
        if let phase = raw.phaseTimedOut {
            return phaseTimeout(phase, raw: raw, check: check)
        }
        if raw.synTimedOut {
            return (.filtered, "no answer to SYN within \(Durations.format(settings.connectTimeout))")
        }
        let code = raw.curlCode
        let message = raw.curlMessage
        switch code {
        case .ok:
            return openObservation(raw, check: check)
        case .writeError where raw.bodySeen:
            return openObservation(raw, check: check)
        case .couldntConnect where raw.osErrno == ECONNRESET && check.proto.usesTLS:
            return (.tlsFailed, "TCP connected, then the connection was reset before the TLS handshake completed")
        case .couldntConnect where raw.osErrno == ECONNRESET && check.proto == .http:
            return (.httpError, "TCP connected, then the server reset the connection before an HTTP response")
        case .couldntConnect, .interfaceFailed:
            return connectFailure(raw, target: target, settings: settings)
        case .operationTimedOut:
            if !raw.tcpConnected {
                return (.filtered, "no answer to SYN within \(Durations.format(settings.connectTimeout))")
            }
            if check.proto.usesTLS && raw.appConnectTime == 0 {
                return (
                    .tlsFailed,
                    "TCP connected, but the TLS handshake did not complete within \(Durations.format(settings.tlsTimeout))"
                )
            }
            return (.httpError, "connected, but no HTTP response within \(Durations.format(settings.requestTimeout))")
        case .sslConnectError, .sslCipher:
            if raw.osErrno == ECONNRESET || message.contains("reset by peer") {
                return (.tlsFailed, "TCP connected, then the TLS handshake was reset (RST after ClientHello)")
            }
            if message.localizedCaseInsensitiveContains("alert") {
                return (.tlsFailed, "TLS handshake failed: \(tidy(message))")
            }
            if message.contains("wrong version number") || message.contains("packet length too long") {
                return (.tlsFailed, "TLS handshake failed: the server did not answer with TLS (\(tidy(message)))")
            }
            if message.contains("unexpected eof") || message.contains("SSL_ERROR_SYSCALL") {
                return (.tlsFailed, "TCP connected, then the peer closed the connection during the TLS handshake")
            }
            return (.tlsFailed, "TLS handshake failed: \(tidy(message))")
        case .peerFailedVerification, .legacyPeerFailedVerification:
            return (.tlsUntrusted, untrustedReason(raw, host: check.host))
        case .caCertBadFile:
            return (.localError, "the CA file \(settings.tls.caFile ?? "") could not be loaded: \(tidy(message))")
        case .sslCertProblem:
            return (.localError, "local TLS settings could not be used: \(tidy(message))")
        case .gotNothing:
            return (.httpError, "connected, but the server closed the connection without an HTTP response")
        case .unsupportedProtocol, .weirdServerReply, .http2, .http2Stream:
            return (.httpError, "no valid HTTP response: \(tidy(message))")
        case .sendError, .recvError:
            if raw.tcpConnected && check.proto.usesTLS && raw.appConnectTime == 0 {
                return (
                    .tlsFailed, "TCP connected, then the connection broke during the TLS handshake: \(tidy(message))"
                )
            }
            if !raw.tcpConnected {
                return connectFailure(raw, target: target, settings: settings)
            }
            if message.contains("Too large response headers") {
                return (.httpError, "the server sent more HTTP header bytes than libcurl accepts: \(tidy(message))")
            }
            return (.httpError, "the connection broke before a complete HTTP response: \(tidy(message))")
        case .couldntResolveHost:
            return (.dnsFailed, "\(check.host) did not resolve: \(tidy(message))")
        case .outOfMemory where raw.tcpConnected && (check.proto == .http || check.proto == .https):
            // libcurl's answer to a header line over its 100 KB limit.
            return (.httpError, "the server sent an HTTP header line longer than libcurl accepts (100 KB)")
        case .outOfMemory:
            return (.localError, "out of memory")
        default:
            if !raw.tcpConnected {
                return (.localError, "libcurl could not run the check (code \(code)): \(tidy(message))")
            }
            if check.proto.usesTLS && raw.appConnectTime == 0 {
                return (.tlsFailed, "TLS handshake failed (libcurl code \(code)): \(tidy(message))")
            }
            return (.httpError, "the request failed (libcurl code \(code)): \(tidy(message))")
        }
    }

    /// A phase after the TCP handshake ran out of its own budget (the tunnel's is the proxy's,
    /// classified by ``ProxyClassifier``).
    static func phaseTimeout(_ phase: AttemptPhase, raw: RawAttempt, check: PlannedCheck) -> (Observed, String) {
        let budget = Durations.format(raw.phaseBudget)
        switch phase {
        case .connect:
            return (.filtered, "no answer to SYN within \(budget)")
        case .tunnel:
            return (
                .proxyFailed, "the tunnel through \(check.settings.proxy.description) did not open within \(budget)"
            )
        case .tls:
            return (.tlsFailed, "TCP connected, but the TLS handshake did not complete within \(budget)")
        case .request:
            return (.httpError, "connected, but no complete HTTP response header within \(budget)")
        }
    }

    /// The check got through: what it saw, in words.
    static func openObservation(_ raw: RawAttempt, check: PlannedCheck) -> (Observed, String) {
        let connect = Durations.format(raw.connectTime)
        switch check.proto {
        case .tcp:
            // Written for every open port: joined into one string at its full size.
            let reset = raw.resetAfterConnect ? "; the server reset the connection right after" : ""
            return (.open, joined("TCP connected in ", connect, reset))
        case .tls:
            return (.open, "TLS handshake completed\(tlsSummary(raw.tls)) in \(Durations.format(raw.appConnectTime))")
        case .http, .https:
            guard let http = raw.http, http.status > 0 else {
                return (.httpError, "connected, but no HTTP status line came back")
            }
            let server = http.server.map { " (Server: \($0))" } ?? ""
            return (.open, "HTTP \(http.status) in \(Durations.format(raw.startTransferTime))\(server)")
        }
    }

    /// " (TLSv1.3, TLS_AES_128_GCM_SHA256)", or nothing when neither is known.
    static func tlsSummary(_ tls: TLSEvidence?) -> String {
        let parts = [tls?.version, tls?.cipher].compactMap { $0 }
        return parts.isEmpty ? "" : " (\(parts.joined(separator: ", ")))"
    }

    /// A TCP connect that failed, by its errno.
    static func connectFailure(_ raw: RawAttempt, target: String, settings: CheckSettings) -> (Observed, String) {
        // The socket's own error queue names the ICMP error and its sender (IP_RECVERR, no capture).
        if let icmp = raw.icmp {
            return (.unreachable, "ICMP \(icmp.summary) in answer to the SYN to \(target)")
        }
        switch raw.osErrno {
        case ECONNREFUSED:
            return (.refused, "TCP reset in answer to SYN from \(target) (connection refused)")
        case EHOSTUNREACH:
            return (
                .unreachable,
                "host unreachable: an ICMP error (host unreachable or administratively prohibited) answered the SYN to \(target)"
            )
        case ENETUNREACH:
            return (.unreachable, "network unreachable: no route to \(target), or ICMP network unreachable")
        case EPERM, EACCES:
            return (
                .unreachable,
                "this host's own firewall refused to send the SYN to \(target) (\(errnoText(raw.osErrno)))"
            )
        case ETIMEDOUT:
            return (.filtered, "no answer to SYN within \(Durations.format(settings.connectTimeout))")
        case EADDRNOTAVAIL:
            return (.localError, "no usable source address for \(target) (\(errnoText(raw.osErrno)))")
        case EMFILE, ENFILE:
            return (
                .localError,
                "out of file descriptors (\(errnoText(raw.osErrno))); lower --concurrency or raise ulimit -n"
            )
        case 0:
            return (.unreachable, "could not connect to \(target): \(tidy(raw.curlMessage))")
        default:
            return (.unreachable, "could not connect to \(target): \(errnoText(raw.osErrno))")
        }
    }

    /// Why the certificate was not trusted, from OpenSSL's verification result.
    static func untrustedReason(_ raw: RawAttempt, host: String) -> String {
        let leaf = raw.tls?.chain.first
        let issuer = leaf.map { " (issuer: \($0.issuer))" } ?? ""
        switch raw.verifyResult {
        case .expired:
            return "certificate expired (not after \(leaf?.notAfter ?? "?"))\(issuer)"
        case .notYetValid:
            return "certificate not yet valid (not before \(leaf?.notBefore ?? "?"))\(issuer)"
        case .selfSignedLeaf:
            return "self-signed certificate, not trusted\(leaf.map { " (subject: \($0.subject))" } ?? "")"
        case .untrustedRootInChain:
            return "the chain ends in a self-signed root this host does not trust\(issuer)"
        case .unableToGetIssuerLocally, .unableToVerifyLeafSignature, .unableToGetIssuer:
            return "the certificate's issuer is not trusted by this host\(issuer); add its CA with tls.ca_file"
        default:
            if raw.curlMessage.contains("subject name") || raw.curlMessage.contains("host name")
                || raw.curlMessage.contains("hostname")
            {
                return "certificate does not name \(host)\(leaf.map { " (subject: \($0.subject))" } ?? "")"
            }
            return "certificate not trusted: \(tidy(raw.curlMessage))"
        }
    }

    /// "Connection refused, errno 111"; "unknown error" for 0.
    static func errnoText(_ code: Int32) -> String {
        guard code != 0, let text = strerror(code) else { return "unknown error" }
        return "\(String(cString: text)), errno \(code)"
    }

    /// The three strings one after the other, allocated once at their full size.
    static func joined(_ first: String, _ second: String, _ third: String) -> String {
        let length = first.utf8.count + second.utf8.count + third.utf8.count
        return String(unsafeUninitializedCapacity: length) { buffer in
            var index = copy(first, into: buffer, at: 0)
            index += copy(second, into: buffer, at: index)
            index += copy(third, into: buffer, at: index)
            return index
        }
    }

    /// Copies the UTF-8 bytes of `piece` into `buffer` from `index`; returns how many.
    private static func copy(_ piece: String, into buffer: UnsafeMutableBufferPointer<UInt8>, at index: Int) -> Int {
        var piece = piece
        return piece.withUTF8 { utf8 in
            guard let start = utf8.baseAddress, let target = buffer.baseAddress else { return 0 }
            (target + index).update(from: start, count: utf8.count)
            return utf8.count
        }
    }

    /// A message on one line, trimmed.
    static func tidy(_ message: String) -> String {
        message.split(whereSeparator: \.isNewline).joined(separator: " ").trimmingCharacters(in: .whitespaces)
    }
}
