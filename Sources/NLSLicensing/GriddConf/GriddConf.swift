import Foundation
import NLSProbeCore

/// The licensed client's own settings (`/etc/nvidia/gridd.conf`): `Key=Value` lines, `#` comments.
/// Unknown keys are kept and ignored; malformed lines are reported with their line number.
///
/// The file is untrusted: at most `maxFileBytes` are read, messages quote at most a bounded,
/// neutralised excerpt, and never a line that is not `Key=Value`, the value of a key that may
/// hold a secret (see `Redaction.isSensitiveKey`) or the user information of a URL.
public struct GriddConf: Sendable, Equatable {
    /// The largest gridd.conf read, in bytes (real ones are a few KiB).
    public static let maxFileBytes = 1024 * 1024

    /// Every setting, by key, as written (last one wins).
    public var values: [String: String]
    /// The line each key in `values` was last set on.
    public var lines: [String: Int]
    /// Lines that are not `Key=Value`.
    public var issues: [GriddConfIssue]
    /// The file as given.
    public var path: String

    /// Parses gridd.conf text; the entry point for fuzzing. Never fails: malformed lines become `issues`.
    public init(text: String, path: String) {
        self.path = path
        values = [:]
        lines = [:]
        issues = []
        for (index, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let number = index + 1
            let line = raw.trimmingCharacters(in: .whitespaces.union(CharacterSet(charactersIn: "\r")))
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let equals = line.firstIndex(of: "=") else {
                // Not shown: a line such as "ProxyPassword S3cr3t" is half a secret.
                issues.append(
                    GriddConfIssue(
                        file: path, line: number,
                        message: "line \(number) is not Key=Value (a setting name, '=', then its value); "
                            + "its text is not shown in case it holds a secret"))
                continue
            }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            var value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
                value = String(value.dropFirst().dropLast())
            }
            guard Self.isSettingName(key) else {
                issues.append(
                    GriddConfIssue(
                        file: path, line: number,
                        message: key.isEmpty
                            ? "the line has no setting name before '='"
                            : "the text before '=' is not a setting name (letters, digits and '_', starting with a letter, at most 64)"
                    ))
                continue
            }
            values[key] = value
            lines[key] = number
        }
    }

    /// True for `[A-Za-z][A-Za-z0-9_]*`, at most 64 characters.
    static func isSettingName(_ key: String) -> Bool {
        let bytes = Array(key.utf8)
        guard (1...64).contains(bytes.count) else { return false }
        func letter(_ byte: UInt8) -> Bool { (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) }
        return letter(bytes[0]) && bytes.allSatisfy { letter($0) || (0x30...0x39).contains($0) || $0 == 0x5F }
    }

    /// Reads a gridd.conf file: a regular file of at most `maxFileBytes`; bytes that are not
    /// UTF-8 are replaced, not refused (comments in other encodings are common).
    public static func load(path: String) throws(GriddConfError) -> GriddConf {
        do {
            let data = try BoundedFile.read(path: path, limit: maxFileBytes)
            return GriddConf(data: data, path: path)
        } catch {
            throw .unreadable(path: path, reason: error.description)
        }
    }

    /// Parses gridd.conf bytes (at most `maxFileBytes` are looked at); the entry point for fuzzing.
    public init(data: Data, path: String) {
        self.init(text: String(decoding: data.prefix(Self.maxFileBytes), as: UTF8.self), path: path)
    }

    /// The proxy the client uses (`ProxyServerAddress`, `ProxyServerPort`), or nil when it uses none.
    /// Rejects, with the line at fault: no host, a port in the address as well as in
    /// `ProxyServerPort`, a port outside 1-65535, user information in the address, a scheme
    /// that is not a proxy scheme.
    public func proxy() throws(GriddConfError) -> ProxySetting? {
        guard let address = values["ProxyServerAddress"], !address.isEmpty else { return nil }
        let addressLine = lines["ProxyServerAddress"] ?? 1
        func fail(_ reason: String, line: Int = addressLine) -> GriddConfError {
            .invalidProxy(path: path, line: line, reason: reason)
        }
        let shown = Redaction.url(address)
        if Excerpt.firstControl(in: address) != nil || address.contains(" ") {
            throw fail(
                "ProxyServerAddress '\(shown)' contains spaces or control characters; expected a host name or IP address"
            )
        }
        var rest = Substring(address)
        var scheme = "http"
        if let separator = address.range(of: "://") {
            scheme = address[..<separator.lowerBound].lowercased()
            rest = address[separator.upperBound...]
            guard ProxySetting.schemes.contains(scheme) else {
                throw fail(
                    "ProxyServerAddress '\(shown)' has the scheme '\(Excerpt.quote(scheme, limit: 16))'; expected one of \(ProxySetting.schemes.joined(separator: ", ")) or none"
                )
            }
        }
        // Any '@' is user information, looked for before the path is cut off: a password may hold
        // '/', '?' or '#', and what follows them must never be read as a host or a port.
        if rest.contains("@") {
            throw fail(
                "ProxyServerAddress '\(shown)' holds user information (user:password@); the client takes the proxy user from ProxyUserName, give nlsprobe the credentials with --proxy-credentials-file"
            )
        }
        if let end = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) { rest = rest[..<end] }
        let (host, portInAddress) = Self.splitHostPort(rest)
        guard !host.isEmpty else {
            throw fail(
                "ProxyServerAddress '\(shown)' names no host; expected a host name or IP address such as proxy.example.com"
            )
        }
        let literal = IPAddress(host)
        guard literal != nil || Hostname.isValid(host) else {
            throw fail("ProxyServerAddress '\(shown)' does not name a host; expected a host name or IP address")
        }
        guard let portText = values["ProxyServerPort"], !portText.isEmpty else {
            throw fail(
                "ProxyServerAddress is set but ProxyServerPort is missing; the client needs the port in ProxyServerPort (\(ProfileLimits.portsText))"
            )
        }
        let portLine = lines["ProxyServerPort"] ?? addressLine
        guard let port = Self.port(portText) else {
            throw fail(
                "ProxyServerPort '\(Excerpt.quote(portText, limit: 16))' is not a port (\(ProfileLimits.portsText))",
                line: portLine)
        }
        if let portInAddress, portInAddress.isEmpty {
            throw fail("ProxyServerAddress '\(shown)' ends with ':' but no port; give the port only in ProxyServerPort")
        }
        if let portInAddress {
            throw fail(
                "ProxyServerAddress gives a port (\(Excerpt.quote(portInAddress, limit: 16))) and so does ProxyServerPort (\(port), line \(portLine)); the client would use neither as meant: give the port only in ProxyServerPort"
            )
        }
        let hostPart = literal?.urlForm ?? host
        guard let proxy = ProxySetting(parsing: "\(scheme)://\(hostPart):\(port)") else {
            throw fail("ProxyServerAddress '\(shown)' is not a usable proxy address")
        }
        return proxy
    }

    /// "host", "host:port", "[v6]", "[v6]:port" or a bare IPv6 literal: the host, and the port
    /// text when one is written.
    static func splitHostPort(_ text: Substring) -> (host: String, port: String?) {
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            let host = String(text[text.index(after: text.startIndex)..<close])
            let after = text[text.index(after: close)...]
            return (host, after.hasPrefix(":") ? String(after.dropFirst()) : (after.isEmpty ? nil : String(after)))
        }
        let colons = text.filter { $0 == ":" }.count
        if colons == 1, let colon = text.firstIndex(of: ":") {
            return (String(text[..<colon]), String(text[text.index(after: colon)...]))
        }
        return (String(text), nil)
    }

    /// A port written as 1 to 5 ASCII digits, 1-65535.
    static func port(_ text: String) -> Int? {
        guard (1...5).contains(text.utf8.count), text.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
            let port = Int(text), ProfileLimits.ports.contains(port)
        else { return nil }
        return port
    }

    /// The proxy user the client is configured with, if any (its password lives in an encrypted
    /// file nlsprobe cannot read).
    public var proxyUser: String? { values["ProxyUserName"].flatMap { $0.isEmpty ? nil : $0 } }

    /// Where the client reads its configuration token from (`ClientConfigTokenPath`), if set.
    public var tokenPath: String? { values["ClientConfigTokenPath"].flatMap { $0.isEmpty ? nil : $0 } }
}
