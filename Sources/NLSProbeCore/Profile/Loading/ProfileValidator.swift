import Foundation
import Yams

/// Checks a profile's YAML tree against the profile format (v1): the keys each level allows,
/// group names, hosts, subnets, ports, settings and the references between flows and groups.
/// Every problem is collected (through `reader`) rather than stopping at the first, and a valid
/// profile is counted before its port ranges are expanded.
struct ProfileValidator {
    /// Reads the nodes and collects the issues.
    var reader: ProfileReader
    /// The folder relative `ca_file` paths are read from; nil reads them as given.
    let baseDirectory: String?
    /// The most checks the profile may expand into.
    let maxChecks: Int
    /// Set when the profile is valid but expands into more than `maxChecks` checks.
    var tooLarge: ProfileError?

    /// Creates a validator for the profile `file`.
    init(file: String, baseDirectory: String?, maxChecks: Int = PlanLimits.defaultMaxChecks) {
        reader = ProfileReader(file: file)
        self.baseDirectory = baseDirectory
        self.maxChecks = maxChecks
    }

    /// The profile file as given.
    var file: String { reader.file }

    /// The keys of a profile's top level.
    static let topKeys = ["profile", "title", "reference", "sources", "destinations", "flows", "defaults"]
    /// The keys of `defaults`, also allowed in a flow.
    static let settingKeys = [
        "connect_timeout", "tls_timeout", "dns_timeout", "request_timeout", "attempts", "proxy",
        "proxy_credentials_env", "tls", "http", "trace",
    ]
    /// The keys of a flow.
    static let flowKeys = ["port", "protocol", "direction", "services", "from", "to", "expect", "note"] + settingKeys

    /// The profile the tree describes; nil when the tree is not a profile at all. Problems are
    /// collected in `reader`; a profile that would expand into more than `maxChecks` checks sets
    /// `tooLarge` and keeps its port ranges unexpanded.
    mutating func read(_ root: Node?, digest: String) -> Profile? {
        guard let root, let top = reader.mapping(root, allowed: Self.topKeys, what: "a profile") else {
            if root == nil {
                reader.add(
                    line: 1, column: 1,
                    "the profile is empty; expected a mapping with profile, title, destinations and flows")
            }
            return nil
        }
        let name = reader.requiredString(top, "profile", in: root, what: "the profile's identifier")
        if let name, let node = top["profile"], !ProfileLimits.isValidProfileName(name) {
            if name.utf8.count > ProfileLimits.maxNameLength {
                reader.add(
                    node,
                    "profile identifier is \(name.utf8.count) characters long, more than \(ProfileLimits.maxNameLength) "
                        + "(it is used in report file names); shorten it")
            } else {
                reader.add(
                    node,
                    "profile identifier '\(Excerpt.quote(name))' must be lowercase letters, digits and '-', "
                        + "starting with a letter or digit (it is used in report file names)")
            }
        }
        let title = reader.requiredString(top, "title", in: root, what: "a one-line title")
        let reference = top["reference"].flatMap { reader.string($0, what: "a reference (text)") }
        var defaults = CheckSettings()
        if let node = top["defaults"], let map = reader.mapping(node, allowed: Self.settingKeys, what: "defaults") {
            defaults = settings(map, base: defaults)
        }
        let sources = top["sources"].map { readSources($0) } ?? []
        var destinations: [DestinationGroup] = []
        if let node = top["destinations"] {
            destinations = readDestinations(node)
        } else {
            reader.add(root, "missing key 'destinations': expected the named endpoints flows go to")
        }
        let destinationNames = Set(destinations.map(\.name))
        for group in sources where destinationNames.contains(group.name) {
            reader.add(
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
            reader.add(root, "missing key 'flows': expected the list of port/direction rows")
        }
        guard let name, let title else { return nil }
        var profile = Profile(
            name: name, title: title, reference: reference, sources: sources, destinations: destinations,
            flows: flows, defaults: defaults, digest: digest)
        if let mark = top["profile"]?.mark { profile.nameLocation = (mark.line, mark.column) }
        profile.flowLocations = locations
        profile.path = file
        // Count before expanding a single port range: a few lines can multiply into billions of checks.
        guard reader.issues.isEmpty else { return profile }
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
}
