import Foundation

/// What `token inspect` shows of a client configuration token: its service instance, issuer,
/// validity, nodes and ports (the signature is not verified).
public struct TokenSummary: Encodable, Sendable {
    /// A node the token names.
    public struct Node: Encodable, Sendable {
        /// The node's URL.
        public var url: String
        /// The name of its port set.
        public var portSet: String?
        /// "service/port" for each port.
        public var ports: [String]
    }
    /// The service instance the token is for.
    public var serviceInstance: String?
    /// Who issued it.
    public var issuer: String?
    /// When it was issued (ISO 8601).
    public var issuedAt: String?
    /// The start of its validity.
    public var notBefore: String?
    /// The end of its validity.
    public var expires: String?
    /// Its protocol version.
    public var protocolVersion: String?
    /// The nodes it names.
    public var nodes: [Node]
    /// Why it may not work (expired, not yet valid).
    public var warnings: [String]

    /// The summary of `token`, with its validity `warnings`.
    public init(_ token: ClientToken, warnings: [String]) {
        let iso = ISO8601DateFormatter()
        serviceInstance = token.serviceInstance
        issuer = token.issuer
        issuedAt = token.issuedAt.map(iso.string)
        notBefore = token.notBefore.map(iso.string)
        expires = token.expires.map(iso.string)
        protocolVersion = token.protocolVersion
        nodes = token.nodes.map { node in
            Node(url: node.url, portSet: node.portSetName, ports: node.ports.map { "\($0.service)/\($0.port)" })
        }
        self.warnings = warnings
    }

    /// Pretty-printed JSON with snake_case keys.
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// The summary as text for the terminal, naming `file`.
    public static func text(_ token: ClientToken, file: String, warnings: [String]) -> String {
        let summary = TokenSummary(token, warnings: warnings)
        var lines = ["client configuration token \(file)"]
        lines.append("  service instance  \(summary.serviceInstance ?? "(not named)")")
        if let issuer = summary.issuer { lines.append("  issuer            \(issuer)") }
        lines.append("  issued            \(summary.issuedAt ?? "-")")
        lines.append("  valid             \(summary.notBefore ?? "-") to \(summary.expires ?? "-")")
        lines.append("  nodes             \(token.nodes.count)")
        for node in summary.nodes {
            lines.append("    \(node.url)  [\(node.portSet ?? "port set")] \(node.ports.joined(separator: ", "))")
        }
        let ports = token.portServices.map { "\($0.port) (\($0.services.joined(separator: ", ")))" }
        lines.append(
            "  ports to open     \(ports.joined(separator: ", "))\(ports.contains { $0.hasPrefix("80 ") } ? "" : ", 80 (release)")"
        )
        for warning in warnings { lines.append("  WARNING: \(warning)") }
        lines.append("  (the signature is not verified: nlsprobe reads the endpoints, it does not trust them)")
        return lines.joined(separator: "\n")
    }
}
