import NLSProbeCore

/// When the runs happen: the first at start, then one every ``interval`` seconds, give or take up
/// to ``jitter`` seconds, so that a fleet started together does not probe in step. The wait is
/// counted from the end of a run: runs never overlap.
public struct ServeSchedule: Sendable, Equatable {
    /// The shortest interval accepted: 1 second.
    public static let minimumInterval: Double = 1
    /// The longest interval accepted: 24 hours.
    public static let maximumInterval: Double = 86_400

    /// Seconds between the end of a run and the start of the next (before jitter).
    public let interval: Double
    /// At most this many seconds are added to or taken from each wait, at random.
    public let jitter: Double

    /// A schedule of `interval` seconds with up to `jitter` seconds either way (10 % of the
    /// interval when nil).
    ///
    /// - Throws: ``ServeError/invalidSchedule(_:)`` when the interval is out of range or the
    ///   jitter is negative or more than half the interval.
    public init(interval: Double, jitter: Double? = nil) throws(ServeError) {
        guard interval.isFinite, interval >= Self.minimumInterval, interval <= Self.maximumInterval else {
            throw .invalidSchedule("--interval must be between 1s and 24h (5m is a good start)")
        }
        let jitter = jitter ?? interval / 10
        guard jitter.isFinite, jitter >= 0, jitter <= interval / 2 else {
            throw .invalidSchedule(
                "--jitter must be at least 0 and at most half the interval (\(Durations.format(interval / 2)))")
        }
        self.interval = interval
        self.jitter = jitter
    }

    /// Parses `--interval` and `--jitter` as the command line writes them ("5m", "30s", "1h").
    public init(interval text: String, jitter jitterText: String?) throws(ServeError) {
        let interval: Double
        var jitter: Double?
        do {
            interval = try Durations.parse(option: "--interval", text)
            if let jitterText { jitter = try Durations.parse(option: "--jitter", jitterText, allowZero: true) }
        } catch {
            throw .invalidSchedule(error.description)
        }
        try self.init(interval: interval, jitter: jitter)
    }

    /// The wait before the next run: the interval plus a random offset in -jitter...jitter.
    public func nextDelay<Generator: RandomNumberGenerator>(using generator: inout Generator) -> Double {
        guard jitter > 0 else { return interval }
        return interval + Double.random(in: -jitter...jitter, using: &generator)
    }

    /// The wait before the next run, with the system's random numbers.
    public func nextDelay() -> Double {
        var generator = SystemRandomNumberGenerator()
        return nextDelay(using: &generator)
    }
}
