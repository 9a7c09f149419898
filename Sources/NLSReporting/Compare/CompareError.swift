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
