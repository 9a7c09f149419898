/// Counts per verdict and the run's verdict.
public struct Summary: Codable, Sendable, Equatable {
    /// All checks.
    public var total: Int
    /// Passed checks.
    public var pass: Int
    /// Failed checks.
    public var fail: Int
    /// Inconclusive checks.
    public var inconclusive: Int
    /// Skipped checks.
    public var skipped: Int
    /// The run's verdict.
    public var verdict: Verdict

    /// Counts the verdicts.
    public init(_ verdicts: [Verdict]) {
        total = verdicts.count
        pass = verdicts.filter { $0 == .pass }.count
        fail = verdicts.filter { $0 == .fail }.count
        inconclusive = verdicts.filter { $0 == .inconclusive }.count
        skipped = verdicts.filter { $0 == .skipped }.count
        verdict = Verdict.overall(verdicts)
    }
}
