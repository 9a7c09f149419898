/// The verdict of a check or of a run.
public enum Verdict: String, Codable, Sendable, CaseIterable, Comparable {
    /// The observation meets the expectation.
    case pass
    /// The observation contradicts the expectation.
    case fail
    /// The observation says nothing about the firewall (DNS, this host, the proxy's login).
    case inconclusive
    /// This host was not in a position to run the check.
    case skipped

    /// Judges an observation against an expectation (the verdict rules of the README's "What a check observes").
    public static func judge(expect: Expectation, observed: Observed) -> Verdict {
        switch expect {
        case .allow:
            switch observed {
            case .open: return .pass
            case .localError, .proxyUnverified: return .inconclusive
            default: return .fail
            }
        case .block:
            switch observed {
            case .refused, .filtered, .unreachable, .proxyDenied, .proxyFailed: return .pass
            case .open, .tlsFailed, .tlsUntrusted, .tlsIntercepted, .httpError: return .fail
            case .dnsFailed, .localError, .proxyUnreachable, .proxyAuthRequired, .proxyUnverified:
                return .inconclusive
            }
        }
    }

    /// The run's verdict: fail if any failed, else inconclusive if any was inconclusive or
    /// nothing ran at all, else pass.
    public static func overall(_ verdicts: [Verdict]) -> Verdict {
        if verdicts.contains(.fail) { return .fail }
        if verdicts.contains(.inconclusive) { return .inconclusive }
        if !verdicts.contains(.pass) { return .inconclusive }
        return .pass
    }

    private var rank: Int {
        switch self {
        case .pass: 0
        case .skipped: 1
        case .inconclusive: 2
        case .fail: 3
        }
    }

    /// Orders verdicts from best to worst: pass, skipped, inconclusive, fail.
    public static func < (lhs: Verdict, rhs: Verdict) -> Bool { lhs.rank < rhs.rank }
}
