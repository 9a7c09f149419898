/// One probe host of a fleet run, as a merged report names it: who measured (or should have
/// measured) which source groups, with what, and when.
public struct ProbeHost: Codable, Sendable, Equatable {
    /// Whether the host's report is in the merge.
    public enum Status: String, Codable, Sendable, Equatable {
        /// Its report was merged.
        case reported
        /// It was expected (`merge --expect-hosts`) but gave no report.
        case notReported = "not-reported"
    }

    /// The name the fleet knows the host by (its inventory name), or the host name in its report.
    public var name: String
    /// Whether its report is in the merge.
    public var status: Status
    /// The address the controller reached it at (from the expected hosts); absent when not given.
    public var address: String?
    /// The host's own name, from its report, when it differs from ``name``.
    public var hostname: String?
    /// The local addresses its checks were sent from.
    public var localAddresses: [String]
    /// The source groups it measured ("clients 10.10.20.0/24"), or was expected to measure when it
    /// did not report.
    public var sources: [String]
    /// The nlsprobe version that wrote its report.
    public var toolVersion: String?
    /// The digest of the profile it ran ("sha256:…").
    public var profileDigest: String?
    /// When its run started, UTC, ISO 8601.
    public var started: String?
    /// When its run finished, UTC, ISO 8601.
    public var finished: String?
    /// The report files of the host that were merged.
    public var reports: [String]
    /// What went wrong with the host (unreachable, nlsprobe cannot run there, its run failed), as
    /// the fleet's controller said it; absent when nothing did.
    public var problem: String?

    /// Creates a probe host entry.
    public init(
        name: String, status: Status, address: String? = nil, hostname: String? = nil, localAddresses: [String] = [],
        sources: [String] = [], toolVersion: String? = nil, profileDigest: String? = nil, started: String? = nil,
        finished: String? = nil, reports: [String] = [], problem: String? = nil
    ) {
        self.name = name
        self.status = status
        self.address = address
        self.hostname = hostname
        self.localAddresses = localAddresses
        self.sources = sources
        self.toolVersion = toolVersion
        self.profileDigest = profileDigest
        self.started = started
        self.finished = finished
        self.reports = reports
        self.problem = problem
    }
}
