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

extension Profile {
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
