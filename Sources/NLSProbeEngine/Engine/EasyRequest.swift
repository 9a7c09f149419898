internal import CCurl
import Foundation
import NLSProbeCore

#if canImport(Glibc)
    import Glibc
#endif

/// How a loop sets up the libcurl handle of a check: the URL, the proxy and its credentials, the
/// TLS anchors, the phase budgets and the callbacks that record what the attempt sees.
struct EasyRequest: Sendable {
    /// The User-Agent every request sends.
    let userAgent: String
    /// The system's CA directory, added beside a CA file so both are trusted; nil when absent.
    let caPath: String?
    /// Proxy credentials ("user:password") from the command line; they win over a profile's variable.
    let proxyCredentials: String?
    /// Bind each socket before connecting (packet capture needs the local port before the SYN).
    let bindBeforeConnect: Bool

    /// A setup for requests with these settings; looks for the system's CA directory once.
    init(userAgent: String, proxyCredentials: String?, bindBeforeConnect: Bool) {
        self.userAgent = userAgent
        self.proxyCredentials = proxyCredentials
        self.bindBeforeConnect = bindBeforeConnect
        var isDirectory: ObjCBool = false
        caPath =
            FileManager.default.fileExists(atPath: "/etc/ssl/certs", isDirectory: &isDirectory) && isDirectory.boolValue
            ? "/etc/ssl/certs" : nil
    }

    /// Makes and configures the job's libcurl handle and starts its clock; the loop adds the handle
    /// to its multi handle. Returns a result at once when no handle could be made.
    func prepare(_ job: Job) -> RawAttempt? {
        guard let easy = EasyHandle() else {
            var raw = RawAttempt()
            raw.curlCode = .outOfMemory
            raw.curlMessage = "curl_easy_init failed"
            return raw
        }
        let context = UnsafeMutablePointer<nls_probe_ctx>.allocate(capacity: 1)
        context.initialize(to: nls_probe_ctx())
        job.easy = easy
        job.context = context
        nls_probe_install(easy.pointer, context)
        let check = job.check
        let settings = check.settings
        SocketBinding(sourceAddress: check.sourceAddress, bindBeforeConnect: bindBeforeConnect)
            .apply(to: &context.pointee.binding)

        let hostPart = IPAddress(check.host)?.urlForm ?? check.host
        let scheme = (check.proto == .tcp || check.proto == .http) ? "http" : "https"
        let path = (check.proto == .tcp || check.proto == .tls) ? "/" : settings.httpPath
        easy.set(CURLOPT_URL, "\(scheme)://\(hostPart):\(check.port)\(path)")
        if let address = check.address, IPAddress(check.host) == nil {
            let target = IPAddress(address)?.urlForm ?? address
            job.connectTo = nls_curl_slist_append(nil, "\(check.host):\(check.port):\(target):\(check.port)")
            easy.set(CURLOPT_CONNECT_TO, job.connectTo)
        }
        switch settings.proxy {
        case .direct:
            easy.set(CURLOPT_PROXY, "")
        case .environment:
            break
        case .url(let url):
            easy.set(CURLOPT_PROXY, url)
        }
        if settings.proxy.isProxied {
            if check.proto == .tcp || check.proto == .tls { easy.set(CURLOPT_HTTPPROXYTUNNEL, 1) }
            // getenv: `ProcessInfo.environment` copies the whole environment on every call.
            let fromEnvironment = settings.proxyCredentialsEnv.flatMap { getenv($0).map { String(cString: $0) } }
            if let credentials = proxyCredentials ?? fromEnvironment, !credentials.isEmpty {
                easy.set(CURLOPT_PROXYUSERPWD, credentials)
                easy.set(CURLOPT_PROXYAUTH, Int(bitPattern: UInt(NLS_CURLAUTH_ANY)))
                job.credentialsSent = true
            }
        }
        if check.proto == .tcp || check.proto == .tls { easy.set(CURLOPT_CONNECT_ONLY, 1) }
        easy.set(CURLOPT_NOSIGNAL, 1)
        // Checks read headers at most (the body is cut at its first byte): a small receive buffer
        // keeps 2,000 checks in flight from costing 16 KiB each.
        easy.set(CURLOPT_BUFFERSIZE, 1024)
        easy.set(CURLOPT_FRESH_CONNECT, 1)
        easy.set(CURLOPT_FORBID_REUSE, 1)
        job.route = ProxyRoute.of(settings.proxy, scheme: scheme, host: check.host) { name in
            getenv(name).map { String(cString: $0) }
        }
        // Each phase has its own budget, enforced by the loop from the phase's own start
        // (`MultiLoop.enforceDeadlines`). libcurl's timeouts are only a backstop, a second past the sum.
        let budgets = PhaseBudgets(check: check, route: job.route)
        job.budgets = budgets
        easy.set(CURLOPT_CONNECTTIMEOUT_MS, Int(((budgets.untilTLSDone + 1) * 1000).rounded()))
        easy.set(CURLOPT_TIMEOUT_MS, Int(((budgets.total + 1) * 1000).rounded()))
        if check.proto.usesTLS {
            easy.set(CURLOPT_SSL_VERIFYPEER, settings.tls.verify ? 1 : 0)
            easy.set(CURLOPT_SSL_VERIFYHOST, settings.tls.verify ? 2 : 0)
            if let caFile = settings.tls.caFile {
                easy.set(CURLOPT_CAINFO, caFile)
                if let caPath { easy.set(CURLOPT_CAPATH, caPath) }
            }
            nls_probe_record_tls(easy.pointer, context)
        }
        // An https:// proxy's certificate is checked against the same anchors (system ones, and
        // --ca-file or tls.ca_file when given).
        if job.route == .https, let caFile = settings.tls.caFile {
            easy.set(CURLOPT_PROXY_CAINFO, caFile)
            if let caPath { easy.set(CURLOPT_PROXY_CAPATH, caPath) }
        }
        easy.set(CURLOPT_USERAGENT, userAgent)

        job.started = MonotonicClock.now()
        job.startedAt = Date().timeIntervalSince1970
        job.connectDeadline = job.started + settings.connectTimeout
        job.phase = .connect
        job.phaseStart = job.started
        return nil
    }
}
