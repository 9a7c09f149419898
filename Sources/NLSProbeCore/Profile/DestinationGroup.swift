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
