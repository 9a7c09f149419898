import NLSProbeCore

/// The exit statuses of every command (listed in the README, "Exit status").
enum Exit {
    static let pass: Int32 = 0
    static let fail: Int32 = 1
    static let inconclusive: Int32 = 2
    static let usage: Int32 = 64
    static let internalError: Int32 = 70

    static func code(for verdict: Verdict) -> Int32 {
        switch verdict {
        case .pass: pass
        case .fail: fail
        case .inconclusive, .skipped: inconclusive
        }
    }
}
