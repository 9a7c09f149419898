/// How large a plan may grow. A profile is small text, but a port range times many hosts times
/// many source subnets multiplies into checks that would take gigabytes to hold and days to run;
/// nlsprobe counts them first (multiplying, never expanding) and refuses beyond the limit.
public enum PlanLimits {
    /// The most checks a profile may expand into unless `--max-checks` raises it. A real licensing
    /// profile is tens of checks; 100,000 is a large site swept port by port (about 30 MB of plan).
    public static let defaultMaxChecks = 100_000
    /// The smallest limit `--max-checks` accepts.
    public static let leastMaxChecks = 1

    /// Multiplies, saturating at `Int.max` instead of trapping.
    public static func product(_ a: Int, _ b: Int) -> Int {
        let (value, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? Int.max : value
    }

    /// Adds, saturating at `Int.max` instead of trapping.
    public static func sum(_ a: Int, _ b: Int) -> Int {
        let (value, overflow) = a.addingReportingOverflow(b)
        return overflow ? Int.max : value
    }

    /// "131070000", or "more than 9223372036854775806" when the count saturated.
    public static func describe(_ count: Int) -> String {
        count == Int.max ? "more than \(Int.max - 1)" : "\(count)"
    }
}
