import Foundation

/// How checks reach their destination.
public enum ProxySetting: Sendable, Equatable, CustomStringConvertible {
    /// No proxy, whatever the environment says.
    case direct
    /// The proxy variables of the environment, honoured the way curl honours them.
    case environment
    /// An explicit proxy URL (http, https, socks4, socks4a, socks5, socks5h); never holds credentials.
    case url(String)

    /// Parses the profile's or the command line's form; nil when malformed.
    public init?(parsing text: String) {
        switch text {
        case "direct": self = .direct
        case "environment": self = .environment
        default:
            guard let url = ProxySetting.validatedURL(text) else { return nil }
            self = .url(url)
        }
    }

    /// The schemes accepted in a proxy URL.
    public static let schemes = ["http", "https", "socks4", "socks4a", "socks5", "socks5h"]

    /// Returns the URL when it has an accepted scheme, a host and no credentials.
    static func validatedURL(_ text: String) -> String? {
        guard let range = text.range(of: "://") else { return nil }
        let scheme = text[..<range.lowerBound].lowercased()
        let rest = text[range.upperBound...]
        guard schemes.contains(scheme), !rest.isEmpty, !rest.contains("@"), !rest.contains(" ") else { return nil }
        return text
    }

    /// The form written into reports.
    public var description: String {
        switch self {
        case .direct: "direct"
        case .environment: "environment"
        case .url(let url): url
        }
    }

    /// True when a proxy resolves destination names (one check per host name).
    public var isProxied: Bool { self != .direct }
}
