import Foundation

/// A date's calendar fields in UTC, as `ISO8601DateFormatter` computes them: Foundation hands
/// ICU the time in milliseconds plus one half (`(t + 978307200) * 1000 + 0.5`), and ICU splits
/// its floor into days and the milliseconds of the day. Only for the years 1583 to 9999: before
/// that ICU counts in the Julian calendar, after it the year has more than four digits.
struct UTCFields: Equatable {
    var year: Int
    var month: Int
    var day: Int
    var hour: Int
    var minute: Int
    var second: Int
    var millisecond: Int

    /// The fields of `date`; nil outside the years 1583 to 9999.
    init?(_ date: Date) {
        let milliseconds = (date.timeIntervalSinceReferenceDate + 978_307_200) * 1000 + 0.5
        // ±1e15 ms is about ±31,700 years: every year this type takes, and no overflow below.
        guard milliseconds.isFinite, abs(milliseconds) < 1e15 else { return nil }
        let total = Int64(milliseconds.rounded(.down))
        let perDay: Int64 = 86_400_000
        var days = total / perDay
        var inDay = total % perDay
        if inDay < 0 {
            inDay += perDay
            days -= 1
        }
        // Days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant's civil_from_days).
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        guard (1583...9999).contains(year) else { return nil }
        self.year = Int(year)
        self.month = Int(month)
        self.day = Int(day)
        hour = Int(inDay / 3_600_000)
        minute = Int(inDay / 60_000 % 60)
        second = Int(inDay / 1000 % 60)
        millisecond = Int(inDay % 1000)
    }

    /// "2026-11-29T10:00:00Z" with `separators`, "20261129T100000Z" without; with `milliseconds`,
    /// ".123" before the Z.
    func text(separators: Bool, milliseconds: Bool) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(24)
        func append(_ value: Int, digits: Int) {
            var divisor = 1
            for _ in 1..<digits { divisor *= 10 }
            while divisor > 0 {
                bytes.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
                divisor /= 10
            }
        }
        append(year, digits: 4)
        if separators { bytes.append(UInt8(ascii: "-")) }
        append(month, digits: 2)
        if separators { bytes.append(UInt8(ascii: "-")) }
        append(day, digits: 2)
        bytes.append(UInt8(ascii: "T"))
        append(hour, digits: 2)
        if separators { bytes.append(UInt8(ascii: ":")) }
        append(minute, digits: 2)
        if separators { bytes.append(UInt8(ascii: ":")) }
        append(second, digits: 2)
        if milliseconds {
            bytes.append(UInt8(ascii: "."))
            append(millisecond, digits: 3)
        }
        bytes.append(UInt8(ascii: "Z"))
        return String(decoding: bytes, as: UTF8.self)
    }
}
