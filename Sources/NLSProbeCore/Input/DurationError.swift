/// A duration given on the command line that cannot be used.
public enum DurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A minus sign: durations are never negative.
    case negative(option: String, text: String)
    /// Not a number, or a unit other than ms, s, m and h.
    case malformed(option: String, text: String)
    /// Zero where a timeout must be more than 0.
    case zero(option: String)
    /// Longer than the option allows.
    case tooLong(option: String, text: String, maximum: Double)

    /// A message that says what is wrong and what to give instead.
    public var description: String {
        let forms = "a number of seconds (5) or a number with a unit: 500ms, 5s, 1.5s, 2m, 1h"
        switch self {
        case .negative(let option, let text):
            return "\(option) '\(Excerpt.quote(text))' is negative; a duration cannot be: give \(forms)"
        case .malformed(let option, let text):
            return "\(option) '\(Excerpt.quote(text))' is not a duration; give \(forms)"
        case .zero(let option):
            return "\(option) must be more than 0; give \(forms)"
        case .tooLong(let option, let text, let maximum):
            let limit = maximum.rounded() == maximum && maximum < 1e9 ? "\(Int(maximum)) s" : Durations.format(maximum)
            return "\(option) '\(Excerpt.quote(text))' is longer than its limit of \(limit); give a shorter duration"
        }
    }
}
