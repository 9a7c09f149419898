internal import CCurl
import NLSProbeCore

/// A submitted attempt and what its loop keeps about it while it runs.
///
/// Made by the submitting task and handed to the loop through the loop's inbox (behind a mutex);
/// from then on only the loop thread reads or writes its mutable fields. That is why it may be
/// `@unchecked Sendable`: every `MultiLoop` entry point that touches a job checks it runs on the
/// loop's own thread (`ThreadOwner.check`).
final class Job: @unchecked Sendable {
    /// The check this is an attempt of.
    let check: PlannedCheck
    /// Called once with what the attempt saw.
    let completion: @Sendable (RawAttempt) -> Void
    /// The libcurl handle of a libcurl check, nil for a plain TCP check and once finished.
    var easy: EasyHandle?
    /// What the libcurl callbacks record for this attempt; nil for a plain TCP check.
    var context: UnsafeMutablePointer<nls_probe_ctx>?
    /// The CONNECT_TO list handed to libcurl (kept until the handle is cleaned up).
    var connectTo: UnsafeMutablePointer<curl_slist>?
    /// Monotonic start, seconds.
    var started: Double = 0
    /// Wall-clock start, seconds since the epoch.
    var startedAt: Double = 0
    /// When the TCP handshake must have completed (monotonic seconds).
    var connectDeadline: Double = 0
    /// The TCP handshake was seen complete on the socket.
    var tcpConfirmed = false
    /// The phase the attempt is in.
    var phase = AttemptPhase.connect
    /// When the current phase began (monotonic seconds).
    var phaseStart: Double = 0
    /// The proxy the attempt goes through.
    var route = ProxyRoute.none
    /// The budget of each phase, set when the attempt starts.
    var budgets: PhaseBudgets?
    /// Proxy credentials were handed to libcurl.
    var credentialsSent = false
    /// The socket of a plain TCP check (no libcurl) while its connect is in flight.
    var socket: OwnedSocket?
    /// The descriptor of `socket`, which the loop polls and files the job under; -1 when none.
    var pollDescriptor: Int32 = -1
    /// What binding the socket of a plain TCP check came to (libcurl checks keep it in `context`).
    var binding = BindingOutcome()
    /// True while the job counts towards its destination's cap.
    var counted = false
    /// True while the job counts towards its loop's share of the global cap.
    var working = false
    /// When its SYN, still unanswered, is presumed dropped (monotonic seconds); infinity when it
    /// never is (proxied checks, and once answered or presumed).
    var presumeAt = Double.infinity
    /// Its SYN was presumed dropped: the job no longer counts towards either cap.
    var presumed = false

    /// A job not yet started.
    init(check: PlannedCheck, completion: @escaping @Sendable (RawAttempt) -> Void) {
        self.check = check
        self.completion = completion
    }

    /// The key of the per-destination cap: the address, or the host name when a proxy resolves it.
    var destinationKey: String { check.address ?? check.host }

    /// True when the job's own SYN goes to its destination (a direct check with an address), so
    /// that an unanswered one may be presumed dropped; a proxied check's connect is the proxy's.
    var connectsDirectly: Bool { check.address != nil && !check.settings.proxy.isProxied }

    /// The phase budgets in force (computed now if the attempt did not set them).
    var phaseBudgets: PhaseBudgets { budgets ?? PhaseBudgets(check: check, route: route) }

    /// The TCP state of the socket libcurl connects with; nil before it has one.
    var tcpState: TCPState? {
        guard let context else { return nil }
        return TCPState.of(socket: context.pointee.binding.fd)
    }

    /// Moves a libcurl attempt on through the phases it has completed since the last look; a phase
    /// seen done starts the next one now (or at libcurl's own time stamp, where it has one).
    func advancePhase(now: Double) {
        guard let easy else { return }
        let budgets = phaseBudgets
        for _ in 0..<4 {
            switch phase {
            case .connect:
                if !tcpConfirmed {
                    // Established, or closing after having been (a refused connect is CLOSE: not this).
                    guard tcpState?.handshakeCompleted == true else { return }
                    tcpConfirmed = true
                    // ICMP errors on the open connection are soft again (as without IP_RECVERR).
                    if let context { nls_probe_connected(context) }
                }
                guard let next = budgets.phase(after: .connect) else { return }
                phase = next
                phaseStart = now
            case .tunnel:
                // An HTTP proxy's answer to CONNECT; a SOCKS tunnel shows no sign of its end, so
                // its budget runs on to the end of the TLS handshake (see `PhaseBudgets`).
                guard route != .socks, context?.pointee.ok_answer_ended == 1 else { return }
                guard let next = budgets.phase(after: .tunnel) else { return }
                phase = next
                phaseStart = now
            case .tls:
                let done = easy.seconds(CURLINFO_APPCONNECT_TIME_T)
                guard done > 0 else { return }
                guard let next = budgets.phase(after: .tls) else { return }
                phase = next
                phaseStart = min(now, started + done)
            case .request:
                return
            }
        }
    }

    /// Frees what the libcurl callbacks recorded and the context itself.
    func releaseContext() {
        guard let context else { return }
        nls_probe_release(context)
        context.deinitialize(count: 1)
        context.deallocate()
        self.context = nil
    }
}
