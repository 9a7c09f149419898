import Foundation
import Testing

@testable import NLSProbeCore

/// Time stamps are built from the date's fields, not by a formatter: their text is the formatter's,
/// to the character, for every date (the millisecond rounding, leap days, the years the fields do
/// not cover and leave to the formatter).
@Suite struct TimestampsTests {
    static func formatter(fractional: Bool) -> ISO8601DateFormatter {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions =
            fractional ? [.withInternetDateTime, .withFractionalSeconds] : [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter
    }

    static func compacted(_ text: String) -> String {
        text.replacingOccurrences(of: "-", with: "").replacingOccurrences(of: ":", with: "")
    }

    /// Dates that round across a millisecond, a second, a day and a year; leap days; before 1970;
    /// at and past the ends of the range the fields cover.
    static let edges: [Date] = {
        let seconds: [Double] = [
            0, -1, -0.0004, -0.0005, -0.0006, 0.0004999, 0.0005, 0.0005001, 1_795_550_400.123,
            1_795_550_399.9994, 1_795_550_399.9995, 1_795_550_399.9996, 951_782_400, 951_868_799.9995,
            4_107_542_400, 253_402_300_799.999, 253_402_300_799.9995, 253_402_300_800, -11_676_096_000,
            -12_219_292_800, -12_219_292_800.5, -62_135_596_800, 1e13, -1e13,
        ]
        return seconds.map { Date(timeIntervalSince1970: $0) } + [
            Date(timeIntervalSinceReferenceDate: 0), Date(timeIntervalSinceReferenceDate: 0.0005),
            Date(timeIntervalSinceReferenceDate: -0.0005), .distantPast, .distantFuture,
        ]
    }()

    /// The two formatters, made once for many dates.
    let formatters = (whole: Self.formatter(fractional: false), fractional: Self.formatter(fractional: true))

    func expectSame(_ date: Date) {
        let whole = formatters.whole.string(from: date)
        let fractional = formatters.fractional.string(from: date)
        #expect(Timestamps.iso(date) == whole, "\(date.timeIntervalSinceReferenceDate)")
        #expect(Timestamps.compact(date) == Self.compacted(whole), "\(date.timeIntervalSinceReferenceDate)")
        #expect(
            Timestamps.compactMilliseconds(date) == Self.compacted(fractional), "\(date.timeIntervalSinceReferenceDate)"
        )
    }

    @Test func edgesAreWrittenAsTheFormatterWritesThem() {
        for date in Self.edges { expectSame(date) }
    }

    @Test func randomDatesAreWrittenAsTheFormatterWritesThem() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            // Whole milliseconds and halves (where the rounding decides), and any fraction.
            let milliseconds = Double(Int64.random(in: -2_000_000_000_000...5_000_000_000_000, using: &generator))
            let fraction = [0, 0.5, 0.4999, 0.5001, Double.random(in: 0..<1, using: &generator)].randomElement(
                using: &generator)
            expectSame(Date(timeIntervalSince1970: (milliseconds + (fraction ?? 0)) / 1000))
        }
    }

    @Test func theFieldsCoverTheYears1583To9999() {
        #expect(UTCFields(Date(timeIntervalSince1970: -12_212_553_600)) != nil)  // 1583-01-01
        #expect(UTCFields(Date(timeIntervalSince1970: -12_212_553_601)) == nil)  // 1582-12-31T23:59:59
        #expect(UTCFields(Date(timeIntervalSince1970: 253_402_300_799.999)) != nil)  // 9999-12-31T23:59:59.999
        #expect(UTCFields(Date(timeIntervalSince1970: 253_402_300_800)) == nil)  // 10000-01-01
        #expect(UTCFields(.distantFuture)?.year == 4001)
        #expect(Timestamps.iso(Date(timeIntervalSince1970: 1_795_550_400)) == "2026-11-24T20:00:00Z")
        #expect(
            Timestamps.compactMilliseconds(Date(timeIntervalSince1970: 1_795_550_400.123)) == "20261124T200000.123Z")
    }
}
