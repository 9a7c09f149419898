internal import CSocket
import Foundation
import NLSProbeCore

/// A plain TCP check without libcurl (direct `tcp` checks: a connect is all they need, and a
/// libcurl handle costs far more than the socket): a non-blocking connect the loop polls.
struct RawConnect: Sendable {
    /// Bind each socket before connecting (packet capture needs the local port before the SYN).
    let bindBeforeConnect: Bool

    /// Starts the job's connect to `address` and its clock. Returns nil while the connect is in
    /// flight (the job owns the socket), or a result at once when it finished or could not start;
    /// a connected socket is handed over with the result.
    func start(_ job: Job, address: String) -> RawAttempt? {
        var binding = nls_socket_binding()
        SocketBinding(sourceAddress: job.check.sourceAddress, bindBeforeConnect: bindBeforeConnect)
            .apply(to: &binding)
        job.started = MonotonicClock.now()
        job.startedAt = Date().timeIntervalSince1970
        job.connectDeadline = job.started + job.check.settings.connectTimeout
        var connected: Int32 = 0
        var connectErrno: Int32 = 0
        let fd = nls_tcp_start(&binding, address, Int32(job.check.port), &connected, &connectErrno)
        job.binding = BindingOutcome(binding)
        guard let socket = OwnedSocket(adopting: fd) else {
            var raw = AttemptHarvest.base(job)
            raw.curlCode = connectErrno != 0 ? .couldntConnect : .ok
            raw.osErrno = connectErrno
            return raw
        }
        guard connected == 1 else {
            job.pollDescriptor = socket.descriptor
            job.socket = consume socket
            return nil
        }
        var raw = AttemptHarvest.base(job)
        raw.tcpConnected = true
        raw.connectTime = raw.elapsed
        raw.socket = socket.release()
        return raw
    }

    /// Finishes a connect whose socket became writable: connected (the socket is handed over with
    /// the result) or failed (the socket is closed).
    func finish(_ job: Job) -> RawAttempt {
        var raw = AttemptHarvest.base(job)
        job.pollDescriptor = -1
        guard let socket = job.socket.take() else { return raw }
        let error = nls_tcp_result(socket.descriptor)
        if RawAttempt.handshakeCompleted(socketError: error) {
            raw.tcpConnected = true
            raw.resetAfterConnect = error != 0
            raw.connectTime = raw.elapsed
            // Handed over with the result; whoever settles it closes it.
            raw.socket = socket.release()
        } else {
            raw.curlCode = .couldntConnect
            raw.osErrno = error
            var queued = nls_icmp_error()
            if nls_socket_read_icmp_error(socket.descriptor, &queued) == 1 {
                raw.icmp = ICMPNames.evidence(queued)
            }
        }
        return raw
    }
}
