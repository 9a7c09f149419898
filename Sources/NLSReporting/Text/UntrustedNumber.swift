/// Numbers read from a report file are untrusted: a huge or non-finite value must render, not trap.
public enum UntrustedNumber {
    /// The value as an `Int` when it is finite and in range (truncated toward zero), nil otherwise.
    public static func int(_ value: Double) -> Int? {
        guard value.isFinite, value > -9.223_372_036_854_775e18, value < 9.223_372_036_854_775e18 else {
            return nil
        }
        return Int(value)
    }

    /// The value as an `Int` when it is a whole number in range, nil otherwise.
    public static func exactInteger(_ value: Double) -> Int? {
        guard value == value.rounded() else { return nil }
        return int(value)
    }

    /// Whole numbers without a fraction ("20"), others as Swift writes them ("0.5", "1e+300", "nan").
    public static func text(_ value: Double) -> String {
        exactInteger(value).map { String($0) } ?? String(value)
    }

    /// Whole seconds for a sentence ("600"); values out of range keep their exponent ("1e+300").
    public static func wholeText(_ value: Double) -> String {
        int(value).map { String($0) } ?? String(value)
    }

    /// `value + 1` as text, for a position shown counting from 1; never overflows.
    public static func ordinal(_ index: Int) -> String {
        let (next, overflow) = index.addingReportingOverflow(1)
        return overflow ? "\(index)+1" : String(next)
    }

    /// Milliseconds as seconds with three decimals ("1.250"); values that are not finite or are
    /// out of any sane range (over a year) are shown as "0.000" so XML consumers can parse them.
    public static func seconds(milliseconds: Double) -> String {
        guard milliseconds.isFinite, abs(milliseconds) < 3.2e10 else { return "0.000" }
        return String(format: "%.3f", milliseconds / 1000)
    }
}
