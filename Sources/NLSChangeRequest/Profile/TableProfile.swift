import NLSProbeCore

/// A profile made from a change-request table, with where each flow came from.
public struct TableProfile: Sendable {
    /// The profile.
    public var profile: Profile
    /// Comment lines for the top of the file.
    public var comments: [String]
    /// Comment lines per flow (by flow index): the table row it came from.
    public var flowComments: [[String]]

    /// Creates a table profile.
    public init(profile: Profile, comments: [String], flowComments: [[String]]) {
        self.profile = profile
        self.comments = comments
        self.flowComments = flowComments
    }

    /// The profile as YAML, each flow under a comment naming its row.
    public var yaml: String {
        ProfileWriter.yaml(profile, comments: comments, flowComments: flowComments)
    }
}
