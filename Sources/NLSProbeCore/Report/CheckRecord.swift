/// One check: one destination address of one cell of the matrix (``CellIdentity``).
public struct CheckRecord: Codable, Sendable, Equatable {
    /// The check's own identity: source group and address, destination host and address, protocol
    /// and port. `diff` and `merge` compare cells (``cell``), which leave both addresses out.
    public var id: String
    /// The flow and port.
    public var flow: CheckFlow
    /// Where it was sent from.
    public var source: SourceRef
    /// Where it went.
    public var destination: DestinationRef
    /// The proxy the check went through ("environment" or a URL without credentials); null when direct.
    public var proxy: String?
    /// What the profile expects.
    public var expect: Expectation
    /// What was observed; null for skipped checks.
    public var observed: Observed?
    /// Pass, fail, inconclusive or skipped.
    public var verdict: Verdict
    /// One line of plain English.
    public var reason: String
    /// Every attempt, in order.
    public var attempts: [AttemptRecord]
    /// Phase timings.
    public var timingsMs: Timings
    /// What the check gathered.
    public var evidence: Evidence
    /// The host that measured the check, in reports merged from several hosts.
    public var measuredBy: String?
    /// True in a merged report for a check no host measured because the host expected to measure
    /// its source group gave no report: inconclusive (never pass), the reason says which host.
    public var notMeasured: Bool?

    /// Creates a check record.
    public init(
        id: String, flow: CheckFlow, source: SourceRef, destination: DestinationRef, proxy: String? = nil,
        expect: Expectation, observed: Observed?, verdict: Verdict, reason: String, attempts: [AttemptRecord],
        timingsMs: Timings, evidence: Evidence
    ) {
        self.id = id
        self.flow = flow
        self.source = source
        self.destination = destination
        self.proxy = proxy
        self.expect = expect
        self.observed = observed
        self.verdict = verdict
        self.reason = reason
        self.attempts = attempts
        self.timingsMs = timingsMs
        self.evidence = evidence
    }

    /// Encodes every field, writing null for absent optionals (other tools rely on the keys being there).
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(flow, forKey: .flow)
        try container.encode(source, forKey: .source)
        try container.encode(destination, forKey: .destination)
        try container.encode(proxy, forKey: .proxy)
        try container.encode(expect, forKey: .expect)
        try container.encode(observed, forKey: .observed)
        try container.encode(verdict, forKey: .verdict)
        try container.encode(reason, forKey: .reason)
        try container.encode(attempts, forKey: .attempts)
        try container.encode(timingsMs, forKey: .timingsMs)
        try container.encode(evidence, forKey: .evidence)
        try container.encodeIfPresent(measuredBy, forKey: .measuredBy)
        try container.encodeIfPresent(notMeasured, forKey: .notMeasured)
    }
}
