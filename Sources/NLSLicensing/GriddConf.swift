import Foundation
import NLSProbeCore

/// A malformed line of a gridd.conf file.
public struct GriddConfIssue: Sendable, Equatable, CustomStringConvertible {
    /// The file as given.
    public var file: String
    /// Line, from 1.
    public var line: Int
    /// What is wrong.
    public var message: String

    /// "file:line: message".
    public var description: String { "\(file):\(line): \(message)" }
}

/// Why a gridd.conf could not be used.
public enum GriddConfError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file could not be read.
    case unreadable(path: String, reason: String)
    /// The proxy settings are incomplete or invalid.
    case invalidProxy(path: String, reason: String)

    /// A message a person can act on.
    public var description: String {
        switch self {
        case .unreadable(let path, let reason): "\(path): cannot read the client configuration: \(reason)"
        case .invalidProxy(let path, let reason): "\(path): \(reason)"
        }
    }
}

/// The licensed client's own settings (`/etc/nvidia/gridd.conf`): `Key=Value` lines, `#` comments.
/// Unknown keys are kept and ignored; malformed lines are reported with their line number.
public struct GriddConf: Sendable, Equatable {
    /// Every setting, by key, as written (last one wins).
    public var values: [String: String]
    /// Lines that are not `Key=Value`.
    public var issues: [GriddConfIssue]
    /// The file as given.
    public var path: String

    /// Parses gridd.conf text.
    public init(text: String, path: String) {
        self.path = path
        values = [:]
        issues = []
        for (index, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces.union(CharacterSet(charactersIn: "\r")))
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let equals = line.firstIndex(of: "=") else {
                issues.append(
                    GriddConfIssue(file: path, line: index + 1, message: "expected Key=Value, found '\(line)'"))
                continue
            }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            var value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
                value = String(value.dropFirst().dropLast())
            }
            guard key.range(of: "^[A-Za-z][A-Za-z0-9_]*$", options: .regularExpression) != nil else {
                issues.append(GriddConfIssue(file: path, line: index + 1, message: "'\(key)' is not a setting name"))
                continue
            }
            values[key] = value
        }
    }

    /// Reads a gridd.conf file.
    public static func load(path: String) throws(GriddConfError) -> GriddConf {
        do {
            return GriddConf(text: try String(contentsOfFile: path, encoding: .utf8), path: path)
        } catch {
            throw .unreadable(
                path: path, reason: FileManager.default.fileExists(atPath: path) ? "\(error)" : "no such file")
        }
    }

    /// The proxy the client uses (`ProxyServerAddress`, `ProxyServerPort`), or nil when it uses none.
    public func proxy() throws(GriddConfError) -> ProxySetting? {
        guard let address = values["ProxyServerAddress"], !address.isEmpty else { return nil }
        guard let portText = values["ProxyServerPort"], let port = Int(portText), (1...65535).contains(port) else {
            throw .invalidProxy(
                path: path, reason: "ProxyServerAddress is set but ProxyServerPort is missing or not a port (1-65535)")
        }
        let separator = address.range(of: "://")
        let host = separator.map { String(address[$0.upperBound...]) } ?? address
        let scheme = separator.map { String(address[..<$0.lowerBound]) } ?? "http"
        let bare = host.split(separator: "/").first.map(String.init) ?? host
        let hostPart = IPAddress(bare)?.urlForm ?? bare
        guard let proxy = ProxySetting(parsing: "\(scheme)://\(hostPart):\(port)") else {
            throw .invalidProxy(path: path, reason: "ProxyServerAddress '\(address)' is not a usable proxy address")
        }
        return proxy
    }

    /// The proxy user the client is configured with, if any (its password lives in an encrypted
    /// file nlsprobe cannot read).
    public var proxyUser: String? { values["ProxyUserName"].flatMap { $0.isEmpty ? nil : $0 } }

    /// Where the client reads its configuration token from (`ClientConfigTokenPath`), if set.
    public var tokenPath: String? { values["ClientConfigTokenPath"].flatMap { $0.isEmpty ? nil : $0 } }
}
