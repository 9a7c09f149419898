import Foundation
import NLSProbeCore

/// The probe hosts a fleet run expected to report (`merge --expect-hosts FILE`), so that a host
/// that gave no report at all still shows, and the source groups only it would have measured are
/// **not measured** rather than silently skipped.
///
/// One host per line; `#` starts a comment line; fields are separated by spaces or tabs:
///
/// ```
/// # NAME [ADDRESS] [sources=GROUP[,GROUP…]] [problem=TEXT TO THE END OF THE LINE]
/// probe-a 198.18.30.10 sources=vdi
/// probe-b 198.18.31.10 sources=ml problem=unreachable: Failed to connect to the host via ssh
/// ```
///
/// NAME is the name the fleet knows the host by (its inventory name); a report is the host's when
/// it sits in a folder of that name (as the Ansible playbook fetches them) or its `run.host` is
/// that name. `sources=` says which source groups the host stands in for; `problem=` is what the
/// controller saw go wrong on it.
public struct ExpectedHosts: Sendable, Equatable {
    /// One expected probe host.
    public struct Host: Sendable, Equatable {
        /// The name the fleet knows it by.
        public var name: String
        /// The address the controller reaches it at.
        public var address: String?
        /// The source groups it measures; empty when not said.
        public var sources: [String]
        /// What went wrong on it, as the controller said.
        public var problem: String?

        /// Creates an expected host.
        public init(name: String, address: String? = nil, sources: [String] = [], problem: String? = nil) {
            self.name = name
            self.address = address
            self.sources = sources
            self.problem = problem
        }
    }

    /// The hosts, in file order.
    public var hosts: [Host]

    /// The largest file read (1 MiB).
    public static let sizeLimit = 1 << 20
    /// The most hosts one file may name.
    public static let hostLimit = 10_000
    /// The longest name, address or source group (bytes).
    public static let fieldLimit = 255
    /// The longest problem text kept (characters); longer ones are cut with "…".
    public static let problemLimit = 1_000

    /// Creates a list from hosts.
    public init(hosts: [Host]) {
        self.hosts = hosts
    }

    /// The expected hosts in the file at `path` (a regular file of at most ``sizeLimit`` bytes).
    public static func read(path: String) throws(ExpectedHostsError) -> ExpectedHosts {
        let data: Data
        do {
            data = try BoundedFile.read(path: path, limit: sizeLimit)
        } catch {
            throw .unreadable(path: path, reason: error.description)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .invalid(file: path, line: 1, column: 1, message: "the file is not UTF-8 text")
        }
        return try ExpectedHosts(text: text, file: path)
    }

    /// Parses the text of an expected-hosts file; `file` names it in errors.
    public init(text: String, file: String) throws(ExpectedHostsError) {
        var hosts: [Host] = []
        var lines: [String: Int] = [:]
        // "\r\n" is one Character in Swift: split on the scalar, then drop a carriage return.
        let rawLines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)
        for (offset, scalars) in rawLines.enumerated() {
            let rawLine = Substring(scalars)
            let number = offset + 1
            var line = Substring(rawLine)
            if line.hasSuffix("\r") { line = line.dropLast() }
            let fields = Self.fields(of: line)
            guard let first = fields.first, !first.text.hasPrefix("#") else { continue }
            func fail(_ column: Int, _ message: String) -> ExpectedHostsError {
                .invalid(file: file, line: number, column: column, message: message)
            }
            if let control = line.unicodeScalars.first(where: { ControlCharacters.isControl($0) && $0 != "\t" }) {
                let column = line.unicodeScalars.prefix { $0 != control }.count + 1
                throw fail(column, "control character \(ControlCharacters.visible(control)) in the line")
            }
            var host = Host(name: try Self.checked(first.text, what: "host name", column: first.column, fail: fail))
            if let earlier = lines[host.name] {
                throw fail(first.column, "host '\(host.name)' is named twice (first on line \(earlier))")
            }
            for (index, field) in fields.enumerated().dropFirst() {
                if field.text.hasPrefix("problem=") {
                    let text = line[line.index(line.startIndex, offsetBy: field.column - 1)...].dropFirst(8)
                    let trimmed = text.trimmingCharacters(in: .whitespaces)
                    host.problem = trimmed.isEmpty ? nil : Excerpt.quote(trimmed, limit: Self.problemLimit)
                    break
                } else if field.text.hasPrefix("sources=") {
                    guard field.text.count > 8 else { throw fail(field.column, "empty source group") }
                    host.sources = try field.text.dropFirst(8).split(separator: ",").map {
                        (group) throws(ExpectedHostsError) -> String in
                        try Self.checked(String(group), what: "source group", column: field.column, fail: fail)
                    }
                } else if field.text.hasPrefix("address=") || (index == 1 && !field.text.contains("=")) {
                    let value = field.text.hasPrefix("address=") ? String(field.text.dropFirst(8)) : field.text
                    host.address = try Self.checked(value, what: "address", column: field.column, fail: fail)
                } else {
                    throw fail(
                        field.column,
                        "'\(Excerpt.quote(field.text))' is not a field: give NAME [ADDRESS] [sources=GROUP,…] "
                            + "[problem=TEXT]")
                }
            }
            guard hosts.count < Self.hostLimit else {
                throw fail(1, "more than \(Self.hostLimit) hosts: split the fleet into several merges")
            }
            lines[host.name] = number
            hosts.append(host)
        }
        guard !hosts.isEmpty else { throw .empty(file: file) }
        self.hosts = hosts
    }

    /// The host named `name`, if expected.
    public func host(named name: String) -> Host? { hosts.first { $0.name == name } }

    /// The whitespace-separated fields of a line with their 1-based columns (in characters).
    static func fields(of line: Substring) -> [(text: String, column: Int)] {
        var fields: [(text: String, column: Int)] = []
        var current = ""
        var start = 0
        for (index, character) in line.enumerated() {
            if character == " " || character == "\t" {
                if !current.isEmpty { fields.append((current, start + 1)) }
                current = ""
            } else {
                if current.isEmpty { start = index }
                current.append(character)
            }
        }
        if !current.isEmpty { fields.append((current, start + 1)) }
        return fields
    }

    static func checked(
        _ value: String, what: String, column: Int, fail: (Int, String) -> ExpectedHostsError
    ) throws(ExpectedHostsError) -> String {
        guard !value.isEmpty else { throw fail(column, "empty \(what)") }
        guard value.utf8.count <= fieldLimit else {
            throw fail(column, "the \(what) '\(Excerpt.quote(value))' is longer than \(fieldLimit) bytes")
        }
        return value
    }
}

/// Why an expected-hosts file was not taken.
public enum ExpectedHostsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file could not be read.
    case unreadable(path: String, reason: String)
    /// A line is malformed.
    case invalid(file: String, line: Int, column: Int, message: String)
    /// The file names no host.
    case empty(file: String)

    /// A message a person can act on.
    public var description: String {
        switch self {
        case .unreadable(let path, let reason): "\(path): cannot read the expected hosts: \(reason)"
        case .invalid(let file, let line, let column, let message):
            "\(file):\(line):\(column): \(message)"
        case .empty(let file):
            "\(file): names no host; give one probe host per line: NAME [ADDRESS] [sources=GROUP,…] [problem=TEXT]"
        }
    }
}
