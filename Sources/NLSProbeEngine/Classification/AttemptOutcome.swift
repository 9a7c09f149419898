import NLSProbeCore

/// The classified result of one attempt.
public struct AttemptOutcome: Sendable, Equatable {
    /// The observation.
    public var observed: Observed
    /// One line of plain English.
    public var reason: String
    /// Wall time of the attempt in milliseconds.
    public var elapsedMs: Double
    /// TCP handshake time in milliseconds, nil when TCP never connected.
    public var connectMs: Double?
    /// TLS handshake time in milliseconds, nil when none completed.
    public var tlsMs: Double?
    /// Request to first response byte in milliseconds, nil when no response came.
    public var requestMs: Double?
    /// Local address and port, TLS and HTTP evidence.
    public var evidence: Evidence
    /// Wall-clock start, seconds since the epoch.
    public var startedAt: Double = 0

    /// Creates an outcome.
    public init(
        observed: Observed, reason: String, elapsedMs: Double, connectMs: Double? = nil, tlsMs: Double? = nil,
        requestMs: Double? = nil, evidence: Evidence = Evidence()
    ) {
        self.observed = observed
        self.reason = reason
        self.elapsedMs = elapsedMs
        self.connectMs = connectMs
        self.tlsMs = tlsMs
        self.requestMs = requestMs
        self.evidence = evidence
    }
}
