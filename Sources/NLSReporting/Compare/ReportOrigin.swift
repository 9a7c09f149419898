import NLSProbeCore

/// Which file a report came from and which profile it ran, for messages.
public struct ReportOrigin: Sendable, Equatable {
    /// The file as given on the command line ("before", "after" or "report N" when not from a file).
    public var file: String
    /// The profile's name.
    public var profile: String
    /// The profile's digest ("sha256:…").
    public var digest: String

    /// Creates an origin.
    public init(file: String, profile: String, digest: String) {
        self.file = file
        self.profile = profile
        self.digest = digest
    }

    /// The origin of `report`, read from `file`.
    public init(file: String, _ report: Report) {
        self.init(file: file, profile: report.profile.name, digest: report.profile.digest)
    }

    /// "sha256:0123456789ab…": enough to tell two versions apart.
    public var shortDigest: String { digest.count > 19 ? digest.prefix(19) + "…" : digest }

    /// True when both name the same profile with the same digest.
    func sameProfile(as other: ReportOrigin) -> Bool { profile == other.profile && digest == other.digest }
}
