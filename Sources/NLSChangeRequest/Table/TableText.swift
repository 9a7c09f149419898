import Foundation
import NLSProbeCore

/// The lines of a change-request file, decoded one by one so that a row in another encoding
/// (Latin-1, Windows-1252) is reported where it stands while the other rows are still read.
///
/// UTF-8 (with or without the byte order mark a spreadsheet writes) and UTF-16 with a byte order
/// mark (a spreadsheet's "Unicode text") are read; any other line that is not UTF-8 becomes an
/// issue naming the line, the column and the byte.
public struct TableText: Sendable {
    /// One decoded line.
    public struct Line: Sendable, Equatable {
        /// The line number, from 1.
        public var number: Int
        /// The text, without its line ending.
        public var text: String
    }

    /// The lines that decoded, in order.
    public var lines: [Line]
    /// One issue per line that did not.
    public var issues: [ProfileIssue]

    /// Decodes `data`; `file` names it in issues.
    public init(data: Data, file: String) {
        lines = []
        issues = []
        let bytes = [UInt8](data)
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            let little = bytes[0] == 0xFF
            guard
                let text = String(
                    data: Data(bytes.dropFirst(2)), encoding: little ? .utf16LittleEndian : .utf16BigEndian)
            else {
                issues.append(
                    ProfileIssue(
                        file: file, line: 1, column: 1,
                        message: "the file starts as UTF-16 text but is not valid UTF-16; save the table as CSV UTF-8"))
                return
            }
            lines = Self.split(text)
            return
        }
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        var number = 0
        for raw in body.split(separator: 0x0A, omittingEmptySubsequences: false) {
            number += 1
            var line = raw
            if line.last == 0x0D { line = line.dropLast() }
            if let text = String(validating: line, as: UTF8.self) {
                lines.append(Line(number: number, text: text))
            } else {
                issues.append(Self.encodingIssue(Array(line), file: file, line: number))
            }
        }
        if lines.last?.text.isEmpty == true { lines.removeLast() }
    }

    static func split(_ text: String) -> [Line] {
        var lines: [Line] = []
        var number = 0
        for piece in text.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            var line = String(piece)
            if line.hasSuffix("\r") { line.removeLast() }
            lines.append(Line(number: number, text: line))
        }
        if lines.last?.text.isEmpty == true { lines.removeLast() }
        return lines
    }

    /// Where the first byte that is not UTF-8 stands (in characters), and which byte it is.
    static func encodingIssue(_ bytes: [UInt8], file: String, line: Int) -> ProfileIssue {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var column = 1
        var offset = 0
        loop: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                column += 1
                offset += UTF8.width(scalar)
            case .emptyInput, .error:
                break loop
            }
        }
        let byte = offset < bytes.count ? bytes[offset] : 0
        let hex = "0x" + String(byte, radix: 16, uppercase: true)
        let guess = (0xA0...0xFF).contains(byte) ? " (this row looks like Latin-1 or Windows-1252)" : ""
        return ProfileIssue(
            file: file, line: line, column: column,
            message:
                "this row is not UTF-8 text: byte \(hex) is not valid UTF-8\(guess); save the table as UTF-8 (a spreadsheet's \"CSV UTF-8\") and read it again"
        )
    }
}
