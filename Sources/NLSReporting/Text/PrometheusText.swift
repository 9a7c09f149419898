import NLSProbeCore

/// Text for the Prometheus text exposition format.
public enum PrometheusText {
    /// A label value: control characters shown as `\u{1B}`, then backslash, double quote and line
    /// feed escaped as the format requires.
    public static func labelValue(_ text: String) -> String {
        ScalarEscaping.apply(text) { scalar in
            switch scalar {
            case "\\": "\\\\"
            case "\"": "\\\""
            case "\n": "\\n"
            default: ControlCharacters.isControl(scalar) ? "\\" + ControlCharacters.visible(scalar) : nil
            }
        }
    }

    /// A sample value: `NaN`, `+Inf` and `-Inf` as the format spells them, whole numbers without
    /// a fraction, others in the shortest form that reads back the same.
    public static func sampleValue(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if let whole = UntrustedNumber.exactInteger(value), abs(value) < 1e15 { return String(whole) }
        return String(value)
    }
}
