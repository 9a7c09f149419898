/// The version of nlsprobe, written into every report.
public enum ToolVersion {
    /// This build's version.
    public static let current = "0.1.0"
}
