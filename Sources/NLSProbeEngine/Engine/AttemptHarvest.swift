internal import CCurl
import Foundation
import NLSProbeCore

/// Reads what an attempt saw into a `RawAttempt`: its times and binding, and for libcurl checks
/// everything libcurl and the callbacks recorded (TLS, HTTP and proxy evidence).
enum AttemptHarvest {
    /// What every attempt knows: its times, and how its socket was bound.
    static func base(_ job: Job) -> RawAttempt {
        var raw = RawAttempt()
        raw.elapsed = MonotonicClock.now() - job.started
        raw.startedAt = job.startedAt
        let binding = job.context.map { BindingOutcome($0.pointee.binding) } ?? job.binding
        raw.boundPort = binding.boundPort
        raw.socketErrno = binding.socketErrno
        raw.bindFailed = binding.bindFailed
        return raw
    }

    /// Reads everything libcurl knows about a finished (or stopped) attempt.
    static func read(_ job: Job, easy: EasyHandle) -> RawAttempt {
        var raw = base(job)
        raw.route = job.route
        if let context = job.context {
            raw.bodySeen = context.pointee.body_seen != 0
            raw.tunnelOpen = raw.route.tunnels(job.check.proto) && context.pointee.ok_answer_ended != 0
            raw.curlMessage = CText.string(context.pointee.error)
        }
        raw.osErrno = Int32(truncatingIfNeeded: easy.long(CURLINFO_OS_ERRNO))
        raw.connectTime = easy.seconds(CURLINFO_CONNECT_TIME_T)
        // Established, or closing after having been established (FIN_WAIT, TIME_WAIT, CLOSE_WAIT,
        // LAST_ACK, CLOSING): libcurl only stamps its connect time once TLS is done too.
        raw.tcpConnected = raw.connectTime > 0 || job.tcpConfirmed || job.tcpState?.handshakeCompleted == true
        raw.appConnectTime = easy.seconds(CURLINFO_APPCONNECT_TIME_T)
        raw.startTransferTime = easy.seconds(CURLINFO_STARTTRANSFER_TIME_T)
        raw.responseCode = easy.long(CURLINFO_RESPONSE_CODE)
        raw.proxyConnectCode = easy.long(CURLINFO_HTTP_CONNECTCODE)
        if raw.tcpConnected {
            raw.localAddress = easy.string(CURLINFO_LOCAL_IP)
            let port = easy.long(CURLINFO_LOCAL_PORT)
            raw.localPort = port > 0 ? port : nil
        }
        if !raw.tcpConnected, let context = job.context {
            // The ICMP error that answered the SYN (to the proxy, for a proxied check), read from the
            // error queue as libcurl closed the socket.
            raw.icmp = ICMPNames.evidence(context.pointee.icmp)
        }
        if job.check.proto.usesTLS, let context = job.context {
            let chain = PresentedChain(recordedIn: context)
            raw.tls = tlsEvidence(context, chain: chain)
            raw.chainOmitted = chain.omitted
            raw.chainNamesCut = chain.namesCut
            raw.verifyResult = CertificateVerifyResult(rawValue: Int(context.pointee.tls_verify_error))
        }
        if raw.responseCode > 0 {
            let date = easy.header("Date")
            raw.http = HTTPEvidence(
                status: raw.responseCode, server: easy.header("Server"), via: easy.header("Via"), date: date,
                clockSkewS: date.flatMap(HTTPDate.parse).map { ($0.timeIntervalSinceNow).rounded() })
        }
        if job.check.settings.proxy.isProxied {
            raw.proxyError = easy.long(CURLINFO_PROXY_ERROR)
            raw.proxy = proxyEvidence(job, easy: easy, raw: raw)
        }
        return raw
    }

    /// The TLS facts the handshake callbacks recorded; nil when they recorded neither a version nor
    /// a certificate.
    static func tlsEvidence(_ context: UnsafeMutablePointer<nls_probe_ctx>, chain: PresentedChain) -> TLSEvidence? {
        let version = CText.string(context.pointee.tls_version)
        let cipher = CText.string(context.pointee.tls_cipher)
        let alpn = CText.string(context.pointee.tls_alpn)
        guard !version.isEmpty || !chain.certificates.isEmpty else { return nil }
        return TLSEvidence(
            version: version.isEmpty ? nil : version, cipher: cipher.isEmpty ? nil : cipher,
            alpn: alpn.isEmpty ? nil : alpn, chain: chain.certificates)
    }

    /// The authentication schemes reasons name, by their bit in CURLINFO_PROXYAUTH_AVAIL.
    private static let authSchemes: [(bit: Int, name: String)] = [
        (NLS_CURLAUTH_BASIC, "Basic"), (NLS_CURLAUTH_DIGEST, "Digest"), (NLS_CURLAUTH_NEGOTIATE, "Negotiate"),
        (NLS_CURLAUTH_NTLM, "NTLM"), (NLS_CURLAUTH_BEARER, "Bearer"),
    ]

    /// What the proxy said: its address, its answer's status and headers, the schemes it offers.
    static func proxyEvidence(_ job: Job, easy: EasyHandle, raw: RawAttempt) -> ProxyEvidence {
        var evidence = ProxyEvidence(url: job.check.settings.proxy.description, credentialsSent: job.credentialsSent)
        if let address = easy.string(CURLINFO_PRIMARY_IP) {
            evidence.address = "\(IPAddress(address)?.urlForm ?? address):\(easy.long(CURLINFO_PRIMARY_PORT))"
        }
        // A tunnel's answer comes from the CONNECT; plain HTTP through a proxy answers the request itself.
        let tunnelled = raw.proxyConnectCode > 0
        let origin = tunnelled ? NLS_CURLH_CONNECT : NLS_CURLH_HEADER
        let status = tunnelled ? raw.proxyConnectCode : (job.check.proto == .http ? raw.responseCode : 0)
        if status > 0 { evidence.status = "\(status) \(HTTPStatus.phrase(status, connect: tunnelled))" }
        if tunnelled || job.check.proto == .http {
            evidence.server = easy.header("Server", origin: origin)
            evidence.via = easy.header("Via", origin: origin)
            evidence.error = easy.header("X-Squid-Error", origin: origin)
        }
        let offered = easy.long(CURLINFO_PROXYAUTH_AVAIL)
        evidence.authOffered = authSchemes.filter { offered & $0.bit != 0 }.map(\.name)
        return evidence
    }
}
