import Foundation
import Yams

/// Reads profiles (format v1) and reports every problem with its file, line and column.
///
/// Profiles are untrusted input: files larger than `maxFileBytes` are not read, names that reach
/// file names are checked, and a profile that expands into more than `maxChecks` checks is
/// refused with `ProfileError.planTooLarge` (counted, never expanded).
public struct ProfileLoader: Sendable {
    /// The largest profile file read, in bytes (a profile of 100,000 hosts is about 2 MB).
    public static let maxFileBytes = 16 * 1024 * 1024
    /// The most checks a loaded profile may expand into; see `PlanLimits`.
    public var maxChecks: Int

    /// Creates a loader that refuses profiles expanding into more than `maxChecks` checks.
    public init(maxChecks: Int = PlanLimits.defaultMaxChecks) {
        self.maxChecks = maxChecks
    }

    /// Reads and validates the profile at `path` (a regular file of at most `maxFileBytes`).
    public func load(path: String) throws(ProfileError) -> Profile {
        let data: Data
        do {
            data = try BoundedFile.read(path: path, limit: Self.maxFileBytes)
        } catch {
            throw .unreadable(path: path, reason: error.description)
        }
        let base = URL(fileURLWithPath: path).deletingLastPathComponent().path
        return try parse(data: data, file: path, baseDirectory: base)
    }

    /// Validates profile bytes (UTF-8, at most `maxFileBytes`); the entry point for fuzzing.
    /// `file` names the profile in messages, `baseDirectory` anchors relative `ca_file` paths.
    public func parse(data: Data, file: String, baseDirectory: String? = nil) throws(ProfileError) -> Profile {
        guard data.count <= Self.maxFileBytes else {
            throw .unreadable(
                path: file,
                reason: BoundedFile.Failure.tooLarge(bytes: data.count, limit: Self.maxFileBytes).description)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .unreadable(path: file, reason: "the file is not UTF-8 text")
        }
        return try parse(text, file: file, baseDirectory: baseDirectory)
    }

    /// Validates profile text; `file` names it in messages, `baseDirectory` anchors relative `ca_file` paths.
    /// Throws `.invalid` with every problem, or `.planTooLarge` when the profile is valid but
    /// expands into more than `maxChecks` checks.
    public func parse(_ text: String, file: String, baseDirectory: String? = nil) throws(ProfileError) -> Profile {
        // libyaml refuses nesting deeper than 1,000 levels, so building nodes cannot exhaust the stack.
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw .invalid([Self.syntaxIssue(error, file: file)])
        }
        var reader = ProfileReader(file: file, baseDirectory: baseDirectory, maxChecks: maxChecks)
        let profile = reader.read(root, digest: "sha256:" + SHA256.hex(Array(text.utf8)))
        if !reader.issues.isEmpty || profile == nil {
            throw .invalid(reader.finalIssues)
        }
        if let tooLarge = reader.tooLarge { throw tooLarge }
        guard var result = profile else { throw .invalid(reader.finalIssues) }
        result.path = file
        return result
    }

    /// Checks that no two profiles share a name; returns an issue per repeated name.
    public static func duplicateNames(_ profiles: [Profile]) -> [ProfileIssue] {
        var seen: [String: String] = [:]
        var issues: [ProfileIssue] = []
        for profile in profiles {
            let file = profile.path ?? "<profile>"
            if let first = seen[profile.name] {
                issues.append(
                    ProfileIssue(
                        file: file, line: profile.nameLocation.line, column: profile.nameLocation.column,
                        message: "profile name '\(Excerpt.quote(profile.name))' is already used by \(first); "
                            + "report file names would collide, give each profile its own name"))
            } else {
                seen[profile.name] = file
            }
        }
        return issues
    }

    private static func syntaxIssue(_ error: Error, file: String) -> ProfileIssue {
        guard let yamlError = error as? YamlError else {
            return ProfileIssue(file: file, line: 1, column: 1, message: "not valid YAML: \(Excerpt.quote("\(error)"))")
        }
        switch yamlError {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let detail = context.map { " (\(Excerpt.quote($0.text)))" } ?? ""
            return ProfileIssue(
                file: file, line: mark.line, column: mark.column,
                message: "not valid YAML: \(Excerpt.quote(problem))\(detail)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return ProfileIssue(
                file: file, line: context.mark.line, column: context.mark.column,
                message: "key '\(Excerpt.quote(duplicates.joined(separator: "', '")))' appears twice in this mapping; "
                    + "each key may appear once")
        case .reader(let problem, _, _, _):
            return ProfileIssue(
                file: file, line: 1, column: 1, message: "not valid YAML text: \(Excerpt.quote(problem))")
        default:
            return ProfileIssue(
                file: file, line: 1, column: 1, message: "not valid YAML: \(Excerpt.quote("\(yamlError)"))")
        }
    }
}

/// Limits on what a profile names: names that reach file names, and how many problems are listed.
public enum ProfileLimits {
    /// The longest profile identifier: it becomes part of report file names.
    public static let maxNameLength = 64
    /// The longest group name.
    public static let maxGroupNameLength = 64
    /// The most problems listed for one file; the rest are counted in a last line.
    public static let maxIssues = 100

    /// True for a profile identifier: 1 to `maxNameLength` of `a-z`, `0-9` and `-`, not starting
    /// with `-` (safe in a file name on every system).
    public static func isValidProfileName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard (1...maxNameLength).contains(bytes.count), bytes[0] != UInt8(ascii: "-") else { return false }
        return bytes.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D }
    }

    /// True for a group name: 1 to `maxGroupNameLength` of `A-Za-z0-9._-`, starting with a letter or digit.
    public static func isValidGroupName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard (1...maxGroupNameLength).contains(bytes.count) else { return false }
        func alphanumeric(_ byte: UInt8) -> Bool {
            (0x61...0x7A).contains(byte) || (0x41...0x5A).contains(byte) || (0x30...0x39).contains(byte)
        }
        return alphanumeric(bytes[0]) && bytes.allSatisfy { alphanumeric($0) || $0 == 0x2D || $0 == 0x5F || $0 == 0x2E }
    }
}

/// A flow's ports as the profile wrote them, expanded only once the plan is known to be small enough.
enum PortSpec {
    case list([Int])
    case range(Int, Int)

    var count: Int {
        switch self {
        case .list(let ports): ports.count
        case .range(let low, let high): high - low + 1
        }
    }

    var ports: [Int] {
        switch self {
        case .list(let ports): ports
        case .range(let low, let high): Array(low...high)
        }
    }
}

/// Walks the YAML tree, collecting issues instead of stopping at the first.
struct ProfileReader {
    let file: String
    let baseDirectory: String?
    let maxChecks: Int
    var issues: [ProfileIssue] = []
    /// Problems found beyond `ProfileLimits.maxIssues`.
    var droppedIssues = 0
    /// Set when the profile is valid but expands into more than `maxChecks` checks.
    var tooLarge: ProfileError?

    init(file: String, baseDirectory: String?, maxChecks: Int = PlanLimits.defaultMaxChecks) {
        self.file = file
        self.baseDirectory = baseDirectory
        self.maxChecks = maxChecks
    }

    /// The issues, with a last line counting those not listed.
    var finalIssues: [ProfileIssue] {
        guard droppedIssues > 0 else { return issues }
        return issues + [
            ProfileIssue(
                file: file, line: issues.last?.line ?? 1, column: 1,
                message:
                    "... and \(droppedIssues) more problems (the first \(issues.count) are listed); fix these first")
        ]
    }

    static let topKeys = ["profile", "title", "reference", "sources", "destinations", "flows", "defaults"]
    static let settingKeys = [
        "connect_timeout", "tls_timeout", "dns_timeout", "request_timeout", "attempts", "proxy",
        "proxy_credentials_env", "tls", "http",
    ]
    static let flowKeys = ["port", "protocol", "direction", "services", "from", "to", "expect", "note"] + settingKeys

    mutating func read(_ root: Node?, digest: String) -> Profile? {
        guard let root, let top = mapping(root, allowed: Self.topKeys, what: "a profile") else {
            if root == nil {
                add(
                    line: 1, column: 1,
                    "the profile is empty; expected a mapping with profile, title, destinations and flows")
            }
            return nil
        }
        let name = requiredString(top, "profile", in: root, what: "the profile's identifier")
        if let name, let node = top["profile"], !ProfileLimits.isValidProfileName(name) {
            if name.utf8.count > ProfileLimits.maxNameLength {
                add(
                    node,
                    "profile identifier is \(name.utf8.count) characters long, more than \(ProfileLimits.maxNameLength) "
                        + "(it is used in report file names); shorten it")
            } else {
                add(
                    node,
                    "profile identifier '\(Excerpt.quote(name))' must be lowercase letters, digits and '-', "
                        + "starting with a letter or digit (it is used in report file names)")
            }
        }
        let title = requiredString(top, "title", in: root, what: "a one-line title")
        let reference = top["reference"].flatMap { string($0, what: "a reference (text)") }
        var defaults = CheckSettings()
        if let node = top["defaults"], let map = mapping(node, allowed: Self.settingKeys, what: "defaults") {
            defaults = settings(map, base: defaults)
        }
        let sources = top["sources"].map { readSources($0) } ?? []
        var destinations: [DestinationGroup] = []
        if let node = top["destinations"] {
            destinations = readDestinations(node)
        } else {
            add(root, "missing key 'destinations': expected the named endpoints flows go to")
        }
        let destinationNames = Set(destinations.map(\.name))
        for group in sources where destinationNames.contains(group.name) {
            add(
                top.keyNode("sources", group.name) ?? root,
                "group name '\(group.name)' is both a source and a destination group; names must be unique")
        }
        var flows: [Flow] = []
        var ports: [PortSpec?] = []
        var locations: [(line: Int, column: Int)] = []
        if let node = top["flows"] {
            (flows, ports, locations) = readFlows(
                node, defaults: defaults, sources: sources, destinations: destinations)
        } else {
            add(root, "missing key 'flows': expected the list of port/direction rows")
        }
        guard let name, let title else { return nil }
        var profile = Profile(
            name: name, title: title, reference: reference, sources: sources, destinations: destinations,
            flows: flows, defaults: defaults, digest: digest)
        if let mark = top["profile"]?.mark { profile.nameLocation = (mark.line, mark.column) }
        profile.flowLocations = locations
        profile.path = file
        // Count before expanding a single port range: a few lines can multiply into billions of checks.
        guard issues.isEmpty else { return profile }
        let counts = profile.checkCountsByFlow(portCounts: ports.map { $0?.count ?? 0 })
        let total = counts.reduce(0, PlanLimits.sum)
        if total > maxChecks {
            tooLarge = .planTooLarge(path: file, count: total, limit: maxChecks, largest: profile.largestFlow(counts))
            return profile
        }
        for index in profile.flows.indices {
            if let spec = ports[index] { profile.flows[index].ports = spec.ports }
        }
        return profile
    }

    // MARK: Groups

    mutating func readSources(_ node: Node) -> [SourceGroup] {
        guard let map = node.mapping else {
            add(node, "'sources' must be a mapping of group names to groups")
            return []
        }
        var groups: [SourceGroup] = []
        for (key, value) in map {
            guard let name = groupName(key) else { continue }
            var group = SourceGroup(name: name)
            if value.null != nil {
                groups.append(group)
                continue
            }
            guard
                let fields = mapping(
                    value, allowed: ["description", "subnets", "placeholder"], what: "source group '\(name)'")
            else { continue }
            group.description = fields["description"].flatMap {
                string($0, what: "a description (text)", allowingLayout: true)
            }
            group.placeholder = fields["placeholder"].map { placeholder($0) } ?? false
            if let subnets = fields["subnets"] {
                for item in list(subnets, what: "a list of subnets in CIDR form") {
                    guard let text = string(item, what: "a subnet in CIDR form such as 10.10.20.0/24") else { continue }
                    if text.utf8.count <= 64, let cidr = CIDR(text), text.contains("/") {
                        group.subnets.append(cidr)
                    } else {
                        add(
                            item,
                            "'\(Excerpt.quote(text))' is not a subnet in CIDR form; expected an address and a prefix length such as 10.10.20.0/24 or 2001:db8::/64"
                        )
                    }
                }
            }
            groups.append(group)
        }
        return groups
    }

    /// `placeholder: true|false`: the group still holds the example subnets or hosts it shipped with.
    mutating func placeholder(_ node: Node) -> Bool {
        guard let value = node.bool else {
            add(
                node,
                "placeholder must be true or false (true marks subnets or hosts that are examples to replace; delete the key once they are yours)"
            )
            return false
        }
        return value
    }

    mutating func readDestinations(_ node: Node) -> [DestinationGroup] {
        guard let map = node.mapping, !map.isEmpty else {
            add(node, "'destinations' must be a non-empty mapping of group names to groups with hosts")
            return []
        }
        var groups: [DestinationGroup] = []
        for (key, value) in map {
            guard let name = groupName(key) else { continue }
            guard
                let fields = mapping(
                    value, allowed: ["description", "hosts", "placeholder"], what: "destination group '\(name)'")
            else { continue }
            var group = DestinationGroup(name: name, hosts: [])
            group.description = fields["description"].flatMap {
                string($0, what: "a description (text)", allowingLayout: true)
            }
            group.placeholder = fields["placeholder"].map { placeholder($0) } ?? false
            guard let hosts = fields["hosts"] else {
                add(value, "destination group '\(name)' has no 'hosts'; expected a list of host names or IP addresses")
                continue
            }
            let items = list(hosts, what: "a list of host names or IP addresses")
            if items.isEmpty && hosts.sequence != nil {
                add(hosts, "destination group '\(name)' lists no hosts; expected at least one host name or IP address")
            }
            var seen = Set<String>()
            for item in items {
                guard let host = string(item, what: "a host name or IP address") else { continue }
                if Hostname.isValid(host) || (host.utf8.count <= 64 && IPAddress(host) != nil) {
                    if seen.insert(host).inserted {
                        group.hosts.append(host)
                    } else {
                        add(item, "host '\(host)' is listed twice in group '\(name)'")
                    }
                } else {
                    add(item, "'\(Excerpt.quote(host))' is neither a host name nor an IP address")
                }
            }
            groups.append(group)
        }
        return groups
    }

    mutating func groupName(_ key: Node) -> String? {
        let name = key.scalar?.string ?? ""
        guard ProfileLimits.isValidGroupName(name) else {
            if name.utf8.count > ProfileLimits.maxGroupNameLength {
                add(
                    key,
                    "group name is \(name.utf8.count) characters long, more than \(ProfileLimits.maxGroupNameLength); shorten it"
                )
            } else {
                add(
                    key,
                    "group name '\(Excerpt.quote(name))' must be letters, digits, '-', '_' or '.', starting with a letter or digit"
                )
            }
            return nil
        }
        return name
    }

    /// Group names for a message: the first few, and how many there are in all.
    static func nameList(_ names: [String]) -> String {
        let shown = names.prefix(10).joined(separator: ", ")
        return names.count > 10 ? "\(shown), ... (\(names.count) groups)" : shown
    }

    // MARK: Flows

    mutating func readFlows(
        _ node: Node, defaults: CheckSettings, sources: [SourceGroup], destinations: [DestinationGroup]
    ) -> (flows: [Flow], ports: [PortSpec?], locations: [(line: Int, column: Int)]) {
        guard let sequence = node.sequence else {
            add(node, "'flows' must be a list of flows (each with port, protocol, direction, from, to)")
            return ([], [], [])
        }
        if sequence.isEmpty {
            add(node, "'flows' is empty; a profile needs at least one flow")
        }
        let sourceNames = Set(sources.map(\.name))
        var hostCounts: [String: Int] = [:]
        for group in destinations where hostCounts[group.name] == nil { hostCounts[group.name] = group.hosts.count }
        var flows: [Flow] = []
        var portSpecs: [PortSpec?] = []
        var locations: [(line: Int, column: Int)] = []
        for item in sequence {
            guard let map = mapping(item, allowed: Self.flowKeys, what: "a flow") else { continue }
            let index = flows.count
            let ports = map["port"].flatMap { readPorts($0) }
            if map["port"] == nil {
                add(item, "flow has no 'port'; expected a number, a list [8081, 8084] or a range \"8081-8085\"")
            }
            let proto: FlowProtocol? = enumValue(map, "protocol", in: item, required: true)
            let direction: Direction? = enumValue(map, "direction", in: item, required: true)
            let expect: Expectation = enumValue(map, "expect", in: item, required: false) ?? .allow
            var services: [String] = []
            if let node = map["services"] {
                if node.scalar != nil {
                    services = string(node, what: "a service name or a list of them").map { [$0] } ?? []
                } else {
                    services = list(node, what: "a list of service names").compactMap {
                        string($0, what: "a service name")
                    }
                }
            }
            let from = map["from"].flatMap { string($0, what: "the name of a source or destination group") }
            if map["from"] == nil { add(item, "flow has no 'from'; expected the name of a source group") }
            if let from, let node = map["from"], !sourceNames.contains(from), hostCounts[from] == nil {
                let known = Self.nameList(sources.map(\.name) + destinations.map(\.name))
                add(node, "'from: \(Excerpt.quote(from))' names no group; expected one of: \(known)")
            }
            let to = map["to"].flatMap { string($0, what: "the name of a destination group") }
            if map["to"] == nil { add(item, "flow has no 'to'; expected the name of a destination group") }
            if let to, let node = map["to"], hostCounts[to] == nil {
                let known = Self.nameList(destinations.map(\.name))
                add(node, "'to: \(Excerpt.quote(to))' names no destination group; expected one of: \(known)")
            }
            if let from, let to, from == to, let hosts = hostCounts[to], hosts < 2, let node = map["to"] {
                add(node, "flow from '\(from)' to itself needs at least two hosts in the group to form pairs")
            }
            let flowSettings = settings(map, base: defaults)
            let note = map["note"].flatMap { string($0, what: "a note (text)", allowingLayout: true) }
            if let ports, let proto, let direction, let from, let to {
                flows.append(
                    Flow(
                        index: index, ports: [], portLabel: ports.label, proto: proto, direction: direction,
                        services: services, from: from, to: to, expect: expect, note: note, settings: flowSettings))
                portSpecs.append(ports.spec)
            } else {
                flows.append(
                    Flow(index: index, ports: [], proto: .tcp, from: "", to: ""))  // placeholder keeps indices stable
                portSpecs.append(nil)
            }
            locations.append((item.mark?.line ?? 1, item.mark?.column ?? 1))
        }
        return (flows, portSpecs, locations)
    }

    mutating func readPorts(_ node: Node) -> (spec: PortSpec, label: String)? {
        let expected = "expected a port number 1-65535, a list [8081, 8084] or a range \"8081-8085\""
        if let sequence = node.sequence {
            var ports: [Int] = []
            var seen = Set<Int>()
            for item in sequence {
                guard let port = portNumber(item, expected: expected) else { continue }
                if seen.insert(port).inserted {
                    ports.append(port)
                } else {
                    add(item, "port \(port) is listed twice")
                }
            }
            if sequence.isEmpty { add(node, "the port list is empty; \(expected)") }
            return ports.isEmpty ? nil : (.list(ports), ports.map(String.init).joined(separator: ", "))
        }
        guard let text = node.scalar?.string else {
            add(node, expected)
            return nil
        }
        if text.contains("-") {
            let parts = text.split(separator: "-", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            guard parts.count == 2, let low = Self.portText(parts[0]), let high = Self.portText(parts[1]) else {
                add(node, "'\(Excerpt.quote(text))' is not a port range; \(expected)")
                return nil
            }
            guard (1...65535).contains(low), (1...65535).contains(high) else {
                add(node, "port range '\(text)' is out of range; ports are 1-65535")
                return nil
            }
            guard low <= high else {
                add(node, "port range '\(text)' runs backwards; write the lower port first (\(high)-\(low))")
                return nil
            }
            return (.range(low, high), "\(low)-\(high)")
        }
        guard let port = portNumber(node, expected: expected) else { return nil }
        return (.list([port]), String(port))
    }

    /// A port written as 1 to 6 ASCII digits (so "99999999999999999999" is out of range, not unreadable).
    static func portText(_ text: String) -> Int? {
        guard (1...6).contains(text.utf8.count), text.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else {
            return nil
        }
        return Int(text)
    }

    mutating func portNumber(_ node: Node, expected: String) -> Int? {
        let text = node.scalar?.string.trimmingCharacters(in: .whitespaces) ?? ""
        guard let port = Self.portText(text) else {
            if !text.isEmpty, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }) {
                add(node, "port \(Excerpt.quote(text)) is out of range; ports are 1-65535")
            } else {
                add(node, "'\(Excerpt.quote(text))' is not a port; \(expected)")
            }
            return nil
        }
        guard (1...65535).contains(port) else {
            add(node, "port \(port) is out of range; ports are 1-65535")
            return nil
        }
        return port
    }

    // MARK: Settings

    mutating func settings(_ map: Node.Mapping, base: CheckSettings) -> CheckSettings {
        var result = base
        if let node = map["connect_timeout"], let value = duration(node) { result.connectTimeout = value }
        if let node = map["tls_timeout"], let value = duration(node) { result.tlsTimeout = value }
        if let node = map["dns_timeout"], let value = duration(node) { result.dnsTimeout = value }
        if let node = map["request_timeout"], let value = duration(node) { result.requestTimeout = value }
        if let node = map["attempts"] {
            if let text = node.scalar?.string, let attempts = Int(text), (1...10).contains(attempts) {
                result.attempts = attempts
            } else {
                add(node, "attempts must be a whole number from 1 to 10")
            }
        }
        if let node = map["proxy"], let text = string(node, what: "direct, environment or a proxy URL") {
            if let proxy = ProxySetting(parsing: text) {
                result.proxy = proxy
            } else if text.contains("@") {
                add(
                    node,
                    "the proxy URL holds credentials; put \"user:password\" in the variable named by proxy_credentials_env instead, so they never reach a report"
                )
            } else {
                add(
                    node,
                    "'\(Redaction.url(text))' is not a proxy setting; expected direct, environment, or a URL such as http://proxy.example.com:3128 (schemes: \(ProxySetting.schemes.joined(separator: ", ")))"
                )
            }
        }
        if let node = map["proxy_credentials_env"] {
            if node.null != nil {
                result.proxyCredentialsEnv = nil
            } else if let text = string(node, what: "an environment variable name"),
                text.range(of: "^[A-Za-z_][A-Za-z0-9_]*$", options: .regularExpression) != nil
            {
                result.proxyCredentialsEnv = text
            } else {
                add(node, "proxy_credentials_env must name an environment variable ([A-Za-z_][A-Za-z0-9_]*)")
            }
        }
        if let node = map["tls"],
            let tls = mapping(node, allowed: ["verify", "ca_file", "expected_issuers"], what: "tls settings")
        {
            if let verify = tls["verify"] {
                if let value = verify.bool {
                    result.tls.verify = value
                } else {
                    add(verify, "verify must be true or false")
                }
            }
            if let caNode = tls["ca_file"] {
                if caNode.null != nil {
                    result.tls.caFile = nil
                } else if let path = string(caNode, what: "the path of a PEM file") {
                    let full = path.hasPrefix("/") || baseDirectory == nil ? path : "\(baseDirectory ?? ".")/\(path)"
                    if FileManager.default.isReadableFile(atPath: full) {
                        result.tls.caFile = full
                    } else {
                        add(
                            caNode,
                            "ca_file '\(Excerpt.quote(path))' cannot be read (looked at \(Excerpt.quote(full))); expected a PEM file of trust anchors"
                        )
                    }
                }
            }
            if let issuers = tls["expected_issuers"] {
                result.tls.expectedIssuers = list(issuers, what: "a list of issuer names or SHA-256 pins").compactMap {
                    string($0, what: "an issuer name or a SHA-256 pin")
                }
            }
        }
        if let node = map["http"], let http = mapping(node, allowed: ["path"], what: "http settings") {
            if let pathNode = http["path"], let path = string(pathNode, what: "a request path starting with /") {
                if path.hasPrefix("/") && !path.contains(" ") {
                    result.httpPath = path
                } else {
                    add(pathNode, "http path '\(Excerpt.quote(path))' must start with / and contain no spaces")
                }
            }
        }
        return result
    }

    mutating func duration(_ node: Node) -> Double? {
        guard let text = node.scalar?.string, let seconds = Durations.parse(text) else {
            let text = node.scalar?.string ?? ""
            let negative = text.trimmingCharacters(in: .whitespaces).hasPrefix("-")
            add(
                node,
                negative
                    ? "duration '\(Excerpt.quote(text))' is negative; a timeout is more than 0, such as 3s, 500ms or 2m"
                    : "'\(Excerpt.quote(text))' is not a duration; expected a number of seconds or a number with a unit: 500ms, 3s, 1.5s, 2m, 1h"
            )
            return nil
        }
        guard seconds > 0, seconds <= Durations.maxSeconds else {
            add(node, "duration '\(Excerpt.quote(text))' is out of range; expected more than 0 and at most 10m")
            return nil
        }
        return seconds
    }

    // MARK: Primitives

    mutating func mapping(_ node: Node, allowed: [String], what: String) -> Node.Mapping? {
        guard let map = node.mapping else {
            add(node, "expected \(what) as a mapping of keys to values")
            return nil
        }
        for (key, _) in map {
            guard let name = key.scalar?.string, allowed.contains(name) else {
                let name = key.scalar?.string ?? "?"
                let hint = Self.closest(name, in: allowed).map { " (did you mean '\($0)'?)" } ?? ""
                add(
                    key,
                    "unknown key '\(Excerpt.quote(name))' in \(what)\(hint); expected one of: \(allowed.joined(separator: ", "))"
                )
                continue
            }
        }
        return map
    }

    mutating func list(_ node: Node, what: String) -> [Node] {
        if let sequence = node.sequence { return Array(sequence) }
        add(node, "expected \(what)")
        return []
    }

    /// The trimmed text of a scalar; control characters (escape sequences) are refused, tabs and
    /// line breaks too unless `allowingLayout` (descriptions and notes).
    mutating func string(_ node: Node, what: String, allowingLayout: Bool = false) -> String? {
        guard let scalar = node.scalar, node.null == nil else {
            add(node, "expected \(what)")
            return nil
        }
        let text = scalar.string.trimmingCharacters(in: .whitespaces)
        if text.isEmpty {
            add(node, "expected \(what), found an empty value")
            return nil
        }
        if let control = Excerpt.firstControl(in: text, allowingLayout: allowingLayout) {
            let code = String(format: "U+%04X", control.value)
            add(node, "expected \(what), found text with the control character \(code); remove it")
            return nil
        }
        return text
    }

    mutating func requiredString(_ map: Node.Mapping, _ key: String, in parent: Node, what: String) -> String? {
        guard let node = map[key] else {
            add(parent, "missing key '\(key)': expected \(what)")
            return nil
        }
        return string(node, what: what)
    }

    mutating func enumValue<T: RawRepresentable & CaseIterable>(
        _ map: Node.Mapping, _ key: String, in parent: Node, required: Bool
    ) -> T? where T.RawValue == String {
        let choices = T.allCases.map(\.rawValue).joined(separator: " | ")
        guard let node = map[key] else {
            if required { add(parent, "flow has no '\(key)'; expected \(choices)") }
            return nil
        }
        guard let text = node.scalar?.string, let value = T(rawValue: text) else {
            add(node, "'\(Excerpt.quote(node.scalar?.string ?? ""))' is not a valid \(key); expected \(choices)")
            return nil
        }
        return value
    }

    mutating func add(_ node: Node, _ message: String) {
        add(line: node.mark?.line ?? 1, column: node.mark?.column ?? 1, message)
    }

    mutating func add(line: Int, column: Int, _ message: String) {
        guard issues.count < ProfileLimits.maxIssues else {
            droppedIssues += 1
            return
        }
        issues.append(ProfileIssue(file: file, line: line, column: column, message: message))
    }

    static func closest(_ word: String, in choices: [String]) -> String? {
        guard word.count <= 64 else { return nil }
        let scored = choices.map { ($0, editDistance(word, $0)) }.min { $0.1 < $1.1 }
        guard let best = scored, best.1 <= max(2, word.count / 3) else { return nil }
        return best.0
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        if a.isEmpty { return b.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + [Int](repeating: 0, count: b.count)
            for j in 1...max(b.count, 1) where j <= b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}

extension Node.Mapping {
    /// The key node of `group` inside the mapping found under `key`, for messages about it.
    func keyNode(_ key: String, _ group: String) -> Node? {
        self[key]?.mapping?.first { $0.key.scalar?.string == group }?.key
    }
}

/// Host name syntax (RFC 1123, with underscores tolerated as seen in internal DNS).
public enum Hostname {
    /// True for a syntactically valid host name: dot-separated labels of 1 to 63 ASCII letters,
    /// digits, '-' or '_', not starting or ending with '-', at most 253 bytes, not all digits and dots.
    public static func isValid(_ name: String) -> Bool {
        var bytes = Array(name.utf8)
        if bytes.last == UInt8(ascii: ".") { bytes.removeLast() }
        guard !bytes.isEmpty, bytes.count <= 253 else { return false }
        var labelLength = 0
        var previous: UInt8 = UInt8(ascii: ".")
        var onlyDigitsAndDots = true
        for byte in bytes {
            if byte == UInt8(ascii: ".") {
                guard labelLength > 0, previous != UInt8(ascii: "-") else { return false }
                labelLength = 0
            } else {
                let letter = (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                let digit = (0x30...0x39).contains(byte)
                guard letter || digit || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") else { return false }
                if byte == UInt8(ascii: "-") && labelLength == 0 { return false }
                if !digit { onlyDigitsAndDots = false }
                labelLength += 1
                guard labelLength <= 63 else { return false }
            }
            previous = byte
        }
        return labelLength > 0 && previous != UInt8(ascii: "-") && !onlyDigitsAndDots
    }
}
