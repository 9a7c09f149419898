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
