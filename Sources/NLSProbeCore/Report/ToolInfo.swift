/// The tool's name and version.
public struct ToolInfo: Codable, Sendable, Equatable {
    /// "nlsprobe".
    public var name: String
    /// Semantic version.
    public var version: String

    /// Creates tool information.
    public init(name: String = "nlsprobe", version: String) {
        self.name = name
        self.version = version
    }
}
