/// What the command line changes about where checks come from.
public struct SourceSelection: Sendable, Equatable {
    /// `--source NAME`: run only this group, as if this host were in it.
    public var group: String?
    /// `--bind ADDRESS`: send from this address.
    public var bind: IPAddress?

    /// No override.
    public init(group: String? = nil, bind: IPAddress? = nil) {
        self.group = group
        self.bind = bind
    }
}
