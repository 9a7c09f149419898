#if canImport(Glibc)
    import Glibc
#endif

/// The open-file limit bounds how many sockets can be open at once.
enum FileLimits {
    /// Sockets the checks may hold under an open-file limit: the limit less a reserve for the rest
    /// of the process (standard streams, each loop's wakeup pipe, the resolver, the report and capture
    /// files). The reserve is a quarter of a small limit, at least 16 and at most 64 descriptors, so
    /// `ulimit -n 64` still leaves 48 checks in flight, not one.
    static func socketBudget(openFileLimit: Int) -> Int {
        let reserve = min(64, max(16, openFileLimit / 4))
        return max(1, openFileLimit - reserve)
    }

    /// Raises the soft RLIMIT_NOFILE to the hard limit and returns the soft limit in force.
    static func raiseAndReport() -> Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1024 }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = min(limit.rlim_max, 1 << 20)
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { limit = raised }
        }
        return Int(min(limit.rlim_cur, 1 << 20))
    }
}
