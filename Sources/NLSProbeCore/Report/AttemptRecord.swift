/// One attempt of a check.
public struct AttemptRecord: Codable, Sendable, Equatable {
    /// What the attempt observed.
    public var observed: Observed
    /// Why, in plain English.
    public var reason: String
    /// Wall time of the attempt.
    public var elapsedMs: Double

    /// Creates an attempt record.
    public init(observed: Observed, reason: String, elapsedMs: Double) {
        self.observed = observed
        self.reason = reason
        self.elapsedMs = elapsedMs
    }
}
