internal import CSocket
import NLSProbeCore

/// One SYN of a path trace, sent with a given TTL from a given source (a kernel TCP socket with
/// `IP_RECVERR`: no raw socket, no root), and what answered it.
struct TraceProbe: Sendable {
    /// What came back.
    enum Answer: Sendable, Equatable {
        /// Nothing within the wait.
        case silence
        /// A SYN-ACK (the handshake completed; the socket was closed with a reset at once).
        case synAck
        /// A reset answered the SYN.
        case reset
        /// An ICMP error (time exceeded, or unreachable).
        case icmp(ICMPEvidence)
        /// This host could not send it (errno), and whether bind failed (the source port was taken).
        case local(errno: Int32, bindFailed: Bool)
    }

    /// The answer.
    let answer: Answer
    /// Milliseconds to the answer.
    let elapsedMs: Double
    /// The source port the probe used.
    let localPort: Int

    /// Sends one probe and waits at most `wait` seconds; nil when an address does not parse.
    static func send(
        source: String?, sourcePort: Int, destination: String, port: Int, ttl: Int, wait: Double
    ) -> TraceProbe? {
        var result = nls_trace_result()
        let waitMs = Int32(max(1, min(wait, 30)) * 1000)
        let rc = nls_trace_probe(
            source ?? "", Int32(sourcePort), destination, Int32(port), Int32(ttl), waitMs, &result)
        guard rc == 0 else { return nil }
        let answer: Answer
        switch result.outcome {
        case Int32(NLS_TRACE_CONNECTED.rawValue): answer = .synAck
        case Int32(NLS_TRACE_RESET.rawValue): answer = .reset
        case Int32(NLS_TRACE_ICMP.rawValue):
            if let icmp = ICMPNames.evidence(result.icmp) {
                answer = .icmp(icmp)
            } else {
                answer = .local(errno: result.error_number, bindFailed: false)
            }
        case Int32(NLS_TRACE_LOCAL.rawValue):
            answer = .local(errno: result.error_number, bindFailed: result.bind_failed == 1)
        default: answer = .silence
        }
        let elapsed = result.elapsed_ms.isFinite ? (result.elapsed_ms * 10).rounded() / 10 : 0
        return TraceProbe(answer: answer, elapsedMs: elapsed, localPort: Int(result.local_port))
    }
}
