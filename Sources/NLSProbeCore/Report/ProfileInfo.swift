/// Which profile ran.
public struct ProfileInfo: Codable, Sendable, Equatable {
    /// Its identifier.
    public var name: String
    /// Its title.
    public var title: String
    /// Where its matrix comes from.
    public var reference: String?
    /// "sha256:…" of its file.
    public var digest: String

    /// Creates profile information.
    public init(name: String, title: String, reference: String?, digest: String) {
        self.name = name
        self.title = title
        self.reference = reference
        self.digest = digest
    }
}
