import Foundation

/// Durations as profiles and the command line write them: "500ms", "3s", "1.5s", "2m", "1h", or a
/// bare number of seconds ("5").
public enum Durations {
    /// The longest timeout a profile or the command line may set: 10 minutes.
    public static let maxSeconds: Double = 600

    /// ``maxSeconds`` as profiles and messages write it: "10m".
    public static var maxText: String {
        maxSeconds.truncatingRemainder(dividingBy: 60) == 0 ? "\(Int(maxSeconds / 60))m" : profileText(maxSeconds)
    }

    /// The units understood, longest suffix first so "ms" is not read as "m".
    static let units: [(suffix: String, factor: Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]

    /// Seconds, or nil when the text is not a plain decimal number (ASCII digits, at most one
    /// point, at most 20 characters: no sign, exponent, "nan" or "inf") followed by ms, s, m, h or
    /// nothing (seconds). The result is finite and not negative; callers bound it (profiles: more
    /// than 0, at most `maxSeconds`).
    public static func parse(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let unit = units.first { trimmed.hasSuffix($0.suffix) } ?? (suffix: "", factor: 1)
        let number = trimmed.dropLast(unit.suffix.count)
        let digits = number.utf8.filter { (0x30...0x39).contains($0) }.count
        let points = number.utf8.filter { $0 == UInt8(ascii: ".") }.count
        guard (1...20).contains(number.utf8.count), digits >= 1, points <= 1, digits + points == number.utf8.count,
            let value = Double(number), value.isFinite
        else {
            return nil
        }
        let seconds = value * unit.factor
        return seconds.isFinite ? seconds : nil
    }

    /// Seconds for a command-line option such as `--connect-timeout`: a duration (see ``parse(_:)``)
    /// more than 0 (or at least 0 with `allowZero`) and at most `maximum` when one is given.
    /// Throws a ``DurationError`` that names the option and says what it accepts.
    public static func parse(
        option: String, _ text: String, allowZero: Bool = false, maximum: Double? = nil
    ) throws(DurationError) -> Double {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("-") { throw .negative(option: option, text: text) }
        guard let seconds = parse(trimmed) else { throw .malformed(option: option, text: text) }
        if seconds == 0 && !allowZero { throw .zero(option: option) }
        if let maximum, seconds > maximum { throw .tooLong(option: option, text: text, maximum: maximum) }
        return seconds
    }

    /// Seconds as milliseconds to one decimal (0.1 ms), the precision of every `_ms` field in
    /// the reports.
    public static func milliseconds(_ seconds: Double) -> Double { (seconds * 10_000).rounded() / 10 }

    /// A duration as a profile writes it: "5s" for whole seconds, "1500ms" otherwise.
    public static func profileText(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? "\(Int(seconds))s" : "\(Int((seconds * 1000).rounded()))ms"
    }

    /// "3.0 s", "500 ms": how reasons and reports write a duration (non-finite or negative values
    /// are written as "0 ms", huge ones in scientific form; never traps).
    public static func format(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds > 0 else { return "0 ms" }
        if seconds < 1 { return String(Int((seconds * 1000).rounded())) + " ms" }
        if seconds >= 1e15 { return String(format: "%.3g s", seconds) }
        return String(format: "%.1f s", seconds)
    }
}
