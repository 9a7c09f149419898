import Foundation

/// Time stamps as reports and file names write them.
///
/// The text is the one `ISO8601DateFormatter` writes (in UTC), built from the date's fields
/// directly: a formatter costs more to create (ICU's calendar and time-zone data) than a run
/// spends between its start and its first check. Dates outside the years 1583 to 9999 (where
/// ICU's calendar is not the proleptic Gregorian one, or the year has more than four digits) go
/// through the formatter, so the text never differs.
public enum Timestamps {
    /// "2026-11-29T10:00:00Z".
    public static func iso(_ date: Date) -> String {
        guard let fields = UTCFields(date) else { return formatted(date, fractional: false) }
        return fields.text(separators: true, milliseconds: false)
    }

    /// Parses the form `iso` writes.
    public static func parse(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }

    /// "20261129T100000Z", for file names.
    public static func compact(_ date: Date) -> String {
        guard let fields = UTCFields(date) else { return formatted(date, fractional: false, separators: false) }
        return fields.text(separators: false, milliseconds: false)
    }

    /// "20261129T100000.123Z": UTC to the millisecond, for file names.
    public static func compactMilliseconds(_ date: Date) -> String {
        guard let fields = UTCFields(date) else { return formatted(date, fractional: true, separators: false) }
        return fields.text(separators: false, milliseconds: true)
    }

    /// The formatter's text, for the dates `UTCFields` leaves to it (without separators: the
    /// compact form of file names).
    static func formatted(_ date: Date, fractional: Bool, separators: Bool = true) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions =
            fractional ? [.withInternetDateTime, .withFractionalSeconds] : [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        let text = formatter.string(from: date)
        return separators ? text : text.filter { $0 != "-" && $0 != ":" }
    }
}
