import Foundation
import Yams

/// Check settings: the profile's defaults and each flow's overrides.
extension ProfileValidator {
    mutating func settings(_ map: Node.Mapping, base: CheckSettings) -> CheckSettings {
        var result = base
        if let node = map["connect_timeout"], let value = duration(node) { result.connectTimeout = value }
        if let node = map["tls_timeout"], let value = duration(node) { result.tlsTimeout = value }
        if let node = map["dns_timeout"], let value = duration(node) { result.dnsTimeout = value }
        if let node = map["request_timeout"], let value = duration(node) { result.requestTimeout = value }
        if let node = map["attempts"] {
            if let text = node.scalar?.string, let attempts = Int(text), ProfileLimits.attempts.contains(attempts) {
                result.attempts = attempts
            } else {
                reader.add(node, "attempts must be a whole number \(ProfileLimits.describe(ProfileLimits.attempts))")
            }
        }
        if let node = map["trace"] {
            if let text = node.scalar?.string, let mode = TraceMode(rawValue: text) {
                result.trace = mode
            } else {
                reader.add(node, "trace must be on-failure or off")
            }
        }
        if let node = map["proxy"], let text = reader.string(node, what: "direct, environment or a proxy URL") {
            if let proxy = ProxySetting(parsing: text) {
                result.proxy = proxy
            } else if text.contains("@") {
                reader.add(
                    node,
                    "the proxy URL holds credentials; put \"user:password\" in the variable named by proxy_credentials_env instead, so they never reach a report"
                )
            } else {
                reader.add(
                    node,
                    "'\(Redaction.url(text))' is not a proxy setting; expected direct, environment, or a URL such as http://proxy.example.com:3128 (schemes: \(ProxySetting.schemes.joined(separator: ", ")))"
                )
            }
        }
        if let node = map["proxy_credentials_env"] {
            if node.null != nil {
                result.proxyCredentialsEnv = nil
            } else if let text = reader.string(node, what: "an environment variable name"),
                text.range(of: "^[A-Za-z_][A-Za-z0-9_]*$", options: .regularExpression) != nil
            {
                result.proxyCredentialsEnv = text
            } else {
                reader.add(node, "proxy_credentials_env must name an environment variable ([A-Za-z_][A-Za-z0-9_]*)")
            }
        }
        if let node = map["tls"],
            let tls = reader.mapping(node, allowed: ["verify", "ca_file", "expected_issuers"], what: "tls settings")
        {
            if let verify = tls["verify"] {
                if let value = verify.bool {
                    result.tls.verify = value
                } else {
                    reader.add(verify, "verify must be true or false")
                }
            }
            if let caNode = tls["ca_file"] {
                if caNode.null != nil {
                    result.tls.caFile = nil
                } else if let path = reader.string(caNode, what: "the path of a PEM file") {
                    let full = path.hasPrefix("/") || baseDirectory == nil ? path : "\(baseDirectory ?? ".")/\(path)"
                    if FileManager.default.isReadableFile(atPath: full) {
                        result.tls.caFile = full
                    } else {
                        reader.add(
                            caNode,
                            "ca_file '\(Excerpt.quote(path))' cannot be read (looked at \(Excerpt.quote(full))); expected a PEM file of trust anchors"
                        )
                    }
                }
            }
            if let issuers = tls["expected_issuers"] {
                result.tls.expectedIssuers = reader.list(issuers, what: "a list of issuer names or SHA-256 pins")
                    .compactMap {
                        reader.string($0, what: "an issuer name or a SHA-256 pin")
                    }
            }
        }
        if let node = map["http"], let http = reader.mapping(node, allowed: ["path"], what: "http settings") {
            if let pathNode = http["path"], let path = reader.string(pathNode, what: "a request path starting with /") {
                if path.hasPrefix("/") && !path.contains(" ") {
                    result.httpPath = path
                } else {
                    reader.add(pathNode, "http path '\(Excerpt.quote(path))' must start with / and contain no spaces")
                }
            }
        }
        return result
    }

    mutating func duration(_ node: Node) -> Double? {
        guard let text = node.scalar?.string, let seconds = Durations.parse(text) else {
            let text = node.scalar?.string ?? ""
            let negative = text.trimmingCharacters(in: .whitespaces).hasPrefix("-")
            reader.add(
                node,
                negative
                    ? "duration '\(Excerpt.quote(text))' is negative; a timeout is more than 0, such as 3s, 500ms or 2m"
                    : "'\(Excerpt.quote(text))' is not a duration; expected a number of seconds or a number with a unit: 500ms, 3s, 1.5s, 2m, 1h"
            )
            return nil
        }
        guard seconds > 0, seconds <= Durations.maxSeconds else {
            reader.add(
                node,
                "duration '\(Excerpt.quote(text))' is out of range; expected more than 0 and at most \(Durations.maxText)"
            )
            return nil
        }
        return seconds
    }
}
