#if canImport(Glibc)
    import Glibc
#endif

/// The clock attempts are timed with: monotonic, so a wall-clock step never stretches or shrinks a
/// phase.
enum MonotonicClock {
    /// Seconds since an arbitrary fixed point (CLOCK_MONOTONIC).
    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
