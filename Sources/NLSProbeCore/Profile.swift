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

/// TLS settings of a check.
public struct TLSSettings: Sendable, Equatable {
    /// Verify the chain and the host name.
    public var verify: Bool = true
    /// Extra trust anchors (PEM), absolute path.
    public var caFile: String?
    /// Issuer names or SHA-256 pins the chain must come from; empty accepts any trusted issuer.
    public var expectedIssuers: [String] = []

    /// Settings that verify against the system's trust store.
    public init(verify: Bool = true, caFile: String? = nil, expectedIssuers: [String] = []) {
        self.verify = verify
        self.caFile = caFile
        self.expectedIssuers = expectedIssuers
    }
}

/// The settings every check of a flow runs with: the profile's defaults, the flow's overrides.
public struct CheckSettings: Sendable, Equatable {
    /// Seconds to wait for the TCP handshake.
    public var connectTimeout: Double = 3
    /// Seconds to wait for the TLS handshake once TCP is up.
    public var tlsTimeout: Double = 5
    /// Seconds to wait for the resolver.
    public var dnsTimeout: Double = 5
    /// Seconds to wait for an HTTP response once the connection is up.
    public var requestTimeout: Double = 10
    /// How many attempts a check gets; it stops at the first that meets the expectation.
    public var attempts: Int = 2
    /// Direct, the environment, or an explicit proxy.
    public var proxy: ProxySetting = .direct
    /// The environment variable that holds "user:password" for the proxy.
    public var proxyCredentialsEnv: String? = "NLSPROBE_PROXY_CREDENTIALS"
    /// TLS verification.
    public var tls = TLSSettings()
    /// The path requested by `http` and `https` checks.
    public var httpPath: String = "/"

    /// The built-in defaults.
    public init() {}
}

/// A named group of client subnets that initiates flows.
public struct SourceGroup: Sendable, Equatable {
    /// The group's name, as flows refer to it.
    public var name: String
    /// What the group is.
    public var description: String?
    /// Its subnets; empty means whichever host runs the profile.
    public var subnets: [CIDR]
    /// `placeholder: true` in the profile: the subnets are the shipped examples, not yet the user's.
    public var placeholder: Bool

    /// Creates a group.
    public init(name: String, description: String? = nil, subnets: [CIDR] = [], placeholder: Bool = false) {
        self.name = name
        self.description = description
        self.subnets = subnets
        self.placeholder = placeholder
    }
}

/// A named group of endpoints.
public struct DestinationGroup: Sendable, Equatable {
    /// The group's name, as flows refer to it.
    public var name: String
    /// What the group is.
    public var description: String?
    /// Host names or IP literals.
    public var hosts: [String]
    /// `placeholder: true` in the profile: the hosts are the shipped examples, not yet the user's.
    public var placeholder: Bool

    /// Creates a group.
    public init(name: String, description: String? = nil, hosts: [String], placeholder: Bool = false) {
        self.name = name
        self.description = description
        self.hosts = hosts
        self.placeholder = placeholder
    }
}

/// One row of the firewall change request.
public struct Flow: Sendable, Equatable {
    /// Position in the profile's `flows` list, from 0.
    public var index: Int
    /// The ports, expanded from a number, a list or a range.
    public var ports: [Int]
    /// The ports as the profile wrote them ("443", "8081, 8084", "8081-8085").
    public var portLabel: String
    /// How the flow is checked.
    public var proto: FlowProtocol
    /// The firewall's point of view.
    public var direction: Direction
    /// The NVIDIA services that use the flow.
    public var services: [String]
    /// The initiating group (a source group, or a destination group whose hosts initiate).
    public var from: String
    /// The destination group.
    public var to: String
    /// What should happen.
    public var expect: Expectation
    /// A free-text note carried into reports.
    public var note: String?
    /// The settings its checks run with.
    public var settings: CheckSettings

    /// Creates a flow.
    public init(
        index: Int, ports: [Int], portLabel: String? = nil, proto: FlowProtocol, direction: Direction = .egress,
        services: [String] = [], from: String, to: String, expect: Expectation = .allow, note: String? = nil,
        settings: CheckSettings = CheckSettings()
    ) {
        self.index = index
        self.ports = ports
        self.portLabel = portLabel ?? ports.map(String.init).joined(separator: ", ")
        self.proto = proto
        self.direction = direction
        self.services = services
        self.from = from
        self.to = to
        self.expect = expect
        self.note = note
        self.settings = settings
    }
}

/// A profile: the port and direction matrix, written as data.
public struct Profile: Sendable, Equatable {
    /// Identifier (`[a-z0-9][a-z0-9-]*`, at most `ProfileLimits.maxNameLength` characters when
    /// read from a file), used in report file names.
    public var name: String
    /// A one-line title.
    public var title: String
    /// Where the matrix comes from.
    public var reference: String?
    /// Source groups in profile order.
    public var sources: [SourceGroup]
    /// Destination groups in profile order.
    public var destinations: [DestinationGroup]
    /// The flows in profile order.
    public var flows: [Flow]
    /// The profile-level defaults (already merged into every flow's settings).
    public var defaults: CheckSettings
    /// "sha256:<hex>" of the file's bytes.
    public var digest: String
    /// The file it was read from, if any.
    public var path: String?
    /// Where the `profile:` identifier stands in the file (line, column), for messages about it.
    public var nameLocation: (line: Int, column: Int) = (1, 1)
    /// Where each flow stands in the file (line, column), by flow index; empty when not read from a file.
    public var flowLocations: [(line: Int, column: Int)] = []

    /// Two profiles are equal when their content is (where the name stands in the file does not matter).
    public static func == (lhs: Profile, rhs: Profile) -> Bool {
        lhs.name == rhs.name && lhs.title == rhs.title && lhs.reference == rhs.reference && lhs.sources == rhs.sources
            && lhs.destinations == rhs.destinations && lhs.flows == rhs.flows && lhs.defaults == rhs.defaults
            && lhs.digest == rhs.digest && lhs.path == rhs.path
    }

    /// Creates a profile.
    public init(
        name: String, title: String, reference: String? = nil, sources: [SourceGroup], destinations: [DestinationGroup],
        flows: [Flow], defaults: CheckSettings = CheckSettings(), digest: String = "", path: String? = nil
    ) {
        self.name = name
        self.title = title
        self.reference = reference
        self.sources = sources
        self.destinations = destinations
        self.flows = flows
        self.defaults = defaults
        self.digest = digest
        self.path = path
    }

    /// The source group of that name.
    public func source(named name: String) -> SourceGroup? { sources.first { $0.name == name } }
    /// The destination group of that name.
    public func destination(named name: String) -> DestinationGroup? { destinations.first { $0.name == name } }
}

/// Command-line settings that win over the profile's defaults and flows.
public struct SettingsOverride: Sendable, Equatable {
    /// `--connect-timeout`.
    public var connectTimeout: Double?
    /// `--attempts`.
    public var attempts: Int?
    /// `--proxy URL`, `--no-proxy`.
    public var proxy: ProxySetting?
    /// `--ca-file`: trust anchors for every TLS flow.
    public var caFile: String?

    /// No override.
    public init(connectTimeout: Double? = nil, attempts: Int? = nil, proxy: ProxySetting? = nil, caFile: String? = nil)
    {
        self.connectTimeout = connectTimeout
        self.attempts = attempts
        self.proxy = proxy
        self.caFile = caFile
    }
}

extension Profile {
    /// The profile with command-line settings applied to its defaults and every flow.
    public func applying(_ override: SettingsOverride) -> Profile {
        func apply(_ settings: inout CheckSettings) {
            if let value = override.connectTimeout { settings.connectTimeout = value }
            if let value = override.attempts { settings.attempts = value }
            if let value = override.proxy { settings.proxy = value }
            if let value = override.caFile { settings.tls.caFile = value }
        }
        var copy = self
        apply(&copy.defaults)
        for index in copy.flows.indices { apply(&copy.flows[index].settings) }
        return copy
    }

    /// One warning per group still marked `placeholder: true`: its subnets or hosts are the
    /// examples the profile shipped with, so a run tests nothing of the user's network.
    public var placeholderWarnings: [String] {
        let file = path.map { " in \($0)" } ?? ""
        var warnings: [String] = []
        for group in sources where group.placeholder {
            let subnets = group.subnets.map(\.description).joined(separator: ", ")
            warnings.append(
                "source group '\(group.name)'\(file) still has its placeholder subnets (\(subnets.isEmpty ? "none" : subnets)): "
                    + "put your client subnets there and delete `placeholder: true`; until then its checks are skipped "
                    + "or run from the wrong place")
        }
        for group in destinations where group.placeholder {
            warnings.append(
                "destination group '\(group.name)'\(file) still has its placeholder hosts (\(group.hosts.joined(separator: ", "))): "
                    + "put your own host names or addresses there and delete `placeholder: true`; until then its checks "
                    + "test example names")
        }
        return warnings
    }

    /// The proxy settings in use, as reports show them ("direct", or each distinct setting).
    public var proxySummary: String {
        var seen: [String] = []
        for flow in flows where !seen.contains(flow.settings.proxy.description) {
            seen.append(flow.settings.proxy.description)
        }
        return seen.isEmpty ? defaults.proxy.description : seen.joined(separator: ", ")
    }
}
