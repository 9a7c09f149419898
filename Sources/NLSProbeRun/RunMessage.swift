/// Something a run has to say to the person running it, besides its reports.
public struct RunMessage: Sendable, Equatable, CustomStringConvertible {
    /// How much it matters.
    public enum Level: String, Sendable, Equatable {
        /// For information: the run is as asked.
        case note
        /// The run goes on, but something is not as it should be (a placeholder, a token about to expire).
        case warning
        /// Something failed; the run goes on without it (a report that could not be written).
        case error
    }

    /// How much it matters.
    public var level: Level
    /// The text, without a prefix.
    public var text: String

    /// A message of `level`.
    public init(_ level: Level, _ text: String) {
        self.level = level
        self.text = text
    }

    /// "warning: …", "note: …", or the bare text of an error.
    public var description: String {
        level == .error ? text : "\(level.rawValue): \(text)"
    }
}
