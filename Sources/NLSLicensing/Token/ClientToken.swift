import Foundation
import NLSProbeCore

/// A decoded client configuration token (compact JWS, payload only: the signature is not verified).
///
/// Tokens are untrusted input: at most `sizeLimit` bytes are decoded, every number is bounded
/// (ports 1-65535, port-set indices 0-`maxIndex`, times between `earliestTime` and `latestTime`)
/// and every string is bounded and free of control characters, or decoding fails naming the field.
public struct ClientToken: Sendable, Equatable {
    /// One port of a node's port set.
    public struct ServicePort: Sendable, Equatable {
        /// The service name ("auth", "lease", "quick_release", ...).
        public var service: String
        /// The TCP port.
        public var port: Int
    }

    /// One endpoint of the service instance.
    public struct Node: Sendable, Equatable {
        /// Host name or IP address.
        public var url: String
        /// The name of the port set ("DLS", "CLS").
        public var portSetName: String?
        /// The ports by service.
        public var ports: [ServicePort]
    }

    /// `iss`.
    public var issuer: String?
    /// `aud`.
    public var audience: String?
    /// `iat`, seconds since the epoch.
    public var issuedAt: Date?
    /// `nbf`.
    public var notBefore: Date?
    /// `exp`.
    public var expires: Date?
    /// `protocol_version`.
    public var protocolVersion: String?
    /// `service_instance_configuration.nls_service_instance_ref`.
    public var serviceInstance: String?
    /// Every node with its ports.
    public var nodes: [Node]

    /// The largest token nlsprobe decodes (real ones are a few KiB).
    public static let sizeLimit = 256 * 1024
    /// The largest port-set index accepted (`idx`, `svc_port_set_idx`).
    public static let maxIndex = 65_535
    /// The earliest `iat`, `nbf` or `exp` accepted: 2000-01-01T00:00:00Z.
    public static let earliestTime: Double = 946_684_800
    /// The latest `iat`, `nbf` or `exp` accepted: 2200-01-01T00:00:00Z.
    public static let latestTime: Double = 7_258_118_400
    /// The longest string field accepted (service names, port-set names, URLs, issuer).
    public static let maxStringLength = 1024

    /// Reads and decodes a token file: a regular file of at most `sizeLimit` bytes.
    public static func load(path: String) throws(TokenError) -> ClientToken {
        let data: Data
        do {
            data = try BoundedFile.read(path: path, limit: sizeLimit)
        } catch {
            if case .tooLarge(let bytes, let limit) = error { throw .tooLarge(bytes: bytes, limit: limit) }
            throw .unreadable(path: path, reason: error.description)
        }
        return try decode(data: data)
    }

    /// Decodes token bytes (bytes that are not UTF-8 are replaced); the entry point for fuzzing.
    public static func decode(data: Data) throws(TokenError) -> ClientToken {
        guard data.count <= sizeLimit else { throw .tooLarge(bytes: data.count, limit: sizeLimit) }
        return try decode(String(decoding: data, as: UTF8.self))
    }

    /// Decodes token text (compact JWS); throws a `TokenError` naming the field at fault.
    public static func decode(_ text: String) throws(TokenError) -> ClientToken {
        let compact = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard compact.utf8.count <= sizeLimit else { throw .tooLarge(bytes: compact.utf8.count, limit: sizeLimit) }
        let parts = compact.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw .notCompactJWS(parts: parts.count) }
        _ = try object(parts[0], part: "header")
        let payload = try object(parts[1], part: "payload")
        var token = ClientToken(nodes: [])
        token.issuer = try stringField(payload, "iss")
        token.audience = try stringField(payload, "aud")
        token.issuedAt = try date(payload, "iat")
        token.notBefore = try date(payload, "nbf")
        token.expires = try date(payload, "exp")
        token.protocolVersion = try stringField(payload, "protocol_version")
        guard let configuration = payload["service_instance_configuration"] else {
            throw .missing(field: "service_instance_configuration")
        }
        guard let instance = configuration as? [String: Any] else {
            throw .wrongType(field: "service_instance_configuration", expected: "an object")
        }
        token.serviceInstance = try stringField(
            instance, "nls_service_instance_ref", prefix: "service_instance_configuration.")
        let portSets = try list(instance, "svc_port_set_list", prefix: "service_instance_configuration")
        var setsByIndex: [Int: (name: String?, ports: [ServicePort])] = [:]
        for (position, entry) in portSets.enumerated() {
            let field = "service_instance_configuration.svc_port_set_list[\(position)]"
            guard let set = entry as? [String: Any] else { throw .wrongType(field: field, expected: "an object") }
            let index = try integer(set, "idx", prefix: field, in: 0...maxIndex, meaning: "a port-set index")
            guard setsByIndex[index] == nil else {
                throw .invalidValue(field: "\(field).idx", detail: "\(index) is the idx of an earlier port set too")
            }
            var ports: [ServicePort] = []
            for (mapPosition, mapEntry) in try list(set, "svc_port_map", prefix: field).enumerated() {
                let mapField = "\(field).svc_port_map[\(mapPosition)]"
                guard let map = mapEntry as? [String: Any] else {
                    throw .wrongType(field: mapField, expected: "an object")
                }
                guard map["service"] is String else {
                    throw map["service"] == nil
                        ? .missing(field: "\(mapField).service")
                        : .wrongType(field: "\(mapField).service", expected: "a string")
                }
                let service = try name(map, "service", prefix: mapField)
                let port = try integer(map, "port", prefix: mapField, in: ProfileLimits.ports, meaning: "a port")
                ports.append(ServicePort(service: service, port: port))
            }
            let setName = set["d_name"] is String ? try name(set, "d_name", prefix: field) : nil
            setsByIndex[index] = (setName, ports)
        }
        let nodes = try list(instance, "node_url_list", prefix: "service_instance_configuration")
        guard !nodes.isEmpty else {
            throw .invalidValue(field: "service_instance_configuration.node_url_list", detail: "it lists no node")
        }
        for (position, entry) in nodes.enumerated() {
            let field = "service_instance_configuration.node_url_list[\(position)]"
            guard let node = entry as? [String: Any] else { throw .wrongType(field: field, expected: "an object") }
            guard node["url"] is String else {
                throw node["url"] == nil
                    ? .missing(field: "\(field).url") : .wrongType(field: "\(field).url", expected: "a string")
            }
            let url = try stringField(node, "url", prefix: "\(field).") ?? ""
            let authority = url.split(separator: "://", maxSplits: 1).last?.split(separator: "/").first ?? ""
            guard !authority.contains("@") else {
                throw .invalidValue(
                    field: "\(field).url",
                    detail: "'\(Redaction.url(url))' holds user information; expected a host name or IP address")
            }
            let host = hostOf(url)
            guard Hostname.isValid(host) || (host.utf8.count <= 64 && IPAddress(host) != nil) else {
                throw .invalidValue(
                    field: "\(field).url", detail: "'\(Redaction.url(url))' is neither a host name nor an IP address")
            }
            let setIndex = try integer(
                node, "svc_port_set_idx", prefix: field, in: 0...maxIndex, meaning: "a port-set index")
            guard let set = setsByIndex[setIndex] else {
                throw .danglingIndex(field: "\(field).svc_port_set_idx", value: setIndex)
            }
            token.nodes.append(Node(url: host, portSetName: set.name, ports: set.ports))
        }
        return token
    }

    /// Problems with the token's validity period at `now`, in words; empty when it is valid.
    public func validityWarnings(now: Date = Date()) -> [String] {
        var warnings: [String] = []
        if let expires, expires <= now {
            warnings.append(
                "the token expired on \(Self.iso(expires)): licensing fails whatever the network does; download a new one"
            )
        }
        if let notBefore, notBefore > now {
            warnings.append(
                "the token is not valid before \(Self.iso(notBefore)): check this host's clock and the client's")
        }
        return warnings
    }

    /// Distinct ports with the services that use them, in token order.
    public var portServices: [(port: Int, services: [String])] {
        var result: [(port: Int, services: [String])] = []
        for port in nodes.flatMap(\.ports) {
            if let index = result.firstIndex(where: { $0.port == port.port }) {
                if !result[index].services.contains(port.service) { result[index].services.append(port.service) }
            } else {
                result.append((port.port, [port.service]))
            }
        }
        return result
    }

    static func iso(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }

    static func hostOf(_ url: String) -> String {
        var text = url
        if let range = text.range(of: "://") { text = String(text[range.upperBound...]) }
        if let slash = text.firstIndex(of: "/") { text = String(text[..<slash]) }
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            return String(text[text.index(after: text.startIndex)..<close])
        }
        if text.filter({ $0 == ":" }).count == 1, let colon = text.firstIndex(of: ":") { text = String(text[..<colon]) }
        return text
    }

    static func object(_ part: Substring, part name: String) throws(TokenError) -> [String: Any] {
        var base64 = part.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        guard !base64.isEmpty,
            base64.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "+" || $0 == "/") })
        else { throw .badBase64(part: name) }
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64) else { throw .badBase64(part: name) }
        let value: Any
        do {
            value = try JSONSerialization.jsonObject(with: data)
        } catch {
            // Foundation's own words ("The data is not in the correct format") say nothing a user can act on.
            throw .notJSON(
                part: name,
                detail: "its base64url decodes to \(data.count) bytes that do not parse as JSON; "
                    + "is this a client configuration token (.tok) downloaded from the NLS portal or the DLS?")
        }
        guard let object = value as? [String: Any] else { throw .notJSON(part: name, detail: "it is not an object") }
        return object
    }

    static func list(_ object: [String: Any], _ key: String, prefix: String) throws(TokenError) -> [Any] {
        guard let value = object[key] else { throw .missing(field: "\(prefix).\(key)") }
        guard let list = value as? [Any] else { throw .wrongType(field: "\(prefix).\(key)", expected: "a list") }
        return list
    }

    /// A whole number within `range`; anything else (fractions, 2^64, 1e308) fails naming the field.
    static func integer(
        _ object: [String: Any], _ key: String, prefix: String, in range: ClosedRange<Int>, meaning: String
    ) throws(TokenError) -> Int {
        let field = "\(prefix).\(key)"
        guard let value = object[key] else { throw .missing(field: field) }
        guard let number = value as? NSNumber, !isBoolean(value) else {
            throw .wrongType(field: field, expected: "a whole number")
        }
        let double = number.doubleValue
        guard double.isFinite, double == double.rounded() else {
            throw .wrongType(field: field, expected: "a whole number")
        }
        guard double >= Double(range.lowerBound), double <= Double(range.upperBound) else {
            throw .invalidValue(
                field: field,
                detail:
                    "\(Excerpt.quote(number.stringValue, limit: 32)) is not \(meaning) (\(range.lowerBound)-\(range.upperBound))"
            )
        }
        return Int(double)
    }

    /// An optional string field: nil when absent or not a string; bounded and free of control
    /// characters, or decoding fails naming the field.
    static func stringField(_ object: [String: Any], _ key: String, prefix: String = "") throws(TokenError) -> String? {
        guard let value = object[key] as? String else { return nil }
        guard value.utf8.count <= maxStringLength else {
            throw .invalidValue(
                field: prefix + key, detail: "it is \(value.utf8.count) bytes long, more than \(maxStringLength)")
        }
        if let control = Excerpt.firstControl(in: value) {
            throw .invalidValue(
                field: prefix + key,
                detail:
                    "it holds the control character U+\(String(format: "%04X", control.value)) ('\(Redaction.url(value))')"
            )
        }
        return value
    }

    /// A name that reaches generated profiles (a service, a port set): 1 to 64 letters, digits,
    /// spaces, '_', '-' or '.'.
    static func name(_ object: [String: Any], _ key: String, prefix: String) throws(TokenError) -> String {
        let field = "\(prefix).\(key)"
        let value = try stringField(object, key, prefix: "\(prefix).") ?? ""
        let allowed = value.unicodeScalars.allSatisfy {
            $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || " _-.".unicodeScalars.contains($0))
        }
        guard (1...64).contains(value.utf8.count), allowed else {
            throw .invalidValue(
                field: field,
                detail: "'\(Excerpt.quote(value))' is not a name (1 to 64 letters, digits, spaces, '_', '-' or '.')")
        }
        return value
    }

    /// JSON true/false decode as NSNumber too; tell them apart by what Foundation made of them.
    static func isBoolean(_ value: Any) -> Bool {
        guard let number = value as? NSNumber else { return false }
        return String(cString: number.objCType) == "c"
    }

    /// A time in seconds since 1970, between `earliestTime` and `latestTime` (years 2000 to 2200).
    static func date(_ object: [String: Any], _ key: String) throws(TokenError) -> Date? {
        guard let value = object[key] else { return nil }
        guard let number = value as? NSNumber, !isBoolean(value) else {
            throw .wrongType(field: key, expected: "a number of seconds since 1970")
        }
        let seconds = number.doubleValue
        guard seconds.isFinite, seconds >= earliestTime, seconds <= latestTime else {
            throw .invalidValue(
                field: key,
                detail:
                    "\(Excerpt.quote(number.stringValue, limit: 32)) seconds since 1970 is not a time between the years 2000 and 2200"
            )
        }
        return Date(timeIntervalSince1970: seconds)
    }
}
