import NLSProbeCore

/// Why two reports cannot be compared or merged.
public enum CompareError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The reports come from different profiles, or from different versions of one profile
    /// (`diff` and `merge` take them with `--allow-profile-change`).
    case differentProfiles(ReportOrigin, ReportOrigin)
    /// Fewer than two reports were given to merge.
    case nothingToMerge

    /// A message a person can act on.
    public var description: String {
        switch self {
        case .differentProfiles(let first, let second) where first.profile == second.profile:
            "\(first.file) and \(second.file) come from different versions of profile '\(first.profile)' "
                + "(\(first.shortDigest) and \(second.shortDigest)): the profile file was edited between the runs; "
                + "add --allow-profile-change to take them anyway (cells only one of them has show as added or not measured)"
        case .differentProfiles(let first, let second):
            "\(first.file) (profile '\(first.profile)') and \(second.file) (profile '\(second.profile)') come from "
                + "different profiles; give reports of one profile, or add --allow-profile-change to take them anyway"
        case .nothingToMerge: "give at least two reports to merge"
        }
    }
}

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
