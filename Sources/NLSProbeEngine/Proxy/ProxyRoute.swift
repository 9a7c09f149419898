import Foundation
import NLSProbeCore

/// The kind of proxy an attempt goes through, as libcurl will use it: it decides which phases the
/// attempt has (a CONNECT or SOCKS tunnel before TLS) and who is to blame when one stalls.
enum ProxyRoute: Sendable, Equatable {
    /// Straight to the destination.
    case none
    /// An HTTP proxy (`http://`): a CONNECT tunnel for TCP, TLS and HTTPS checks, the request itself
    /// for plain HTTP.
    case http
    /// An HTTP proxy reached over TLS (`https://`).
    case https
    /// A SOCKS proxy: a SOCKS handshake opens the tunnel.
    case socks

    /// The route of a check towards `host` with URL scheme `scheme` (`http` or `https`).
    /// `environment` reads a variable (getenv in the engine; a dictionary in tests).
    static func of(
        _ setting: ProxySetting, scheme: String, host: String, environment: (String) -> String?
    ) -> ProxyRoute {
        switch setting {
        case .direct: return .none
        case .url(let url): return kind(of: url)
        case .environment:
            guard let url = environmentProxy(scheme: scheme, host: host, environment: environment) else {
                return .none
            }
            return kind(of: url)
        }
    }

    /// The proxy libcurl takes from the environment, the way it reads it: `no_proxy`/`NO_PROXY`
    /// first, then `http_proxy` (lower case only) or `https_proxy`/`HTTPS_PROXY`, then
    /// `all_proxy`/`ALL_PROXY`.
    static func environmentProxy(scheme: String, host: String, environment: (String) -> String?) -> String? {
        func value(_ name: String) -> String? {
            guard let text = environment(name), !text.isEmpty else { return nil }
            return text
        }
        if let list = value("no_proxy") ?? value("NO_PROXY"), bypasses(list, host: host) { return nil }
        let names = scheme == "http" ? ["http_proxy"] : ["\(scheme)_proxy", "\(scheme.uppercased())_PROXY"]
        for name in names + ["all_proxy", "ALL_PROXY"] {
            if let url = value(name) { return url }
        }
        return nil
    }

    /// True when a `no_proxy` list names `host`: `*`, the host itself, or a domain it is in.
    static func bypasses(_ list: String, host: String) -> Bool {
        let name = host.lowercased()
        for entry in list.split(separator: ",") {
            var item = entry.trimmingCharacters(in: .whitespaces).lowercased()
            if item == "*" { return true }
            if item.hasPrefix(".") { item.removeFirst() }
            if item.isEmpty { continue }
            if name == item || name.hasSuffix("." + item) { return true }
        }
        return false
    }

    private static func kind(of url: String) -> ProxyRoute {
        let lowered = url.lowercased()
        if lowered.hasPrefix("socks") { return .socks }
        if lowered.hasPrefix("https://") { return .https }
        return .http
    }

    /// True when the route opens a tunnel before the check's own protocol: every check but plain
    /// HTTP through an HTTP proxy.
    func tunnels(_ proto: FlowProtocol) -> Bool {
        switch self {
        case .none: false
        case .socks: true
        case .http, .https: proto != .http
        }
    }
}
