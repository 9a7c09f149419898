/// Why the engine could not start.
public enum EngineError: Error, Sendable, CustomStringConvertible {
    /// libcurl could not be initialised.
    case curlUnavailable(String)
    /// libcurl was built without a feature a check needs.
    case missingFeature(String)

    /// A message a person can act on.
    public var description: String {
        switch self {
        case .curlUnavailable(let detail): "libcurl could not be initialised: \(detail)"
        case .missingFeature(let feature):
            "the installed libcurl lacks \(feature); install libcurl4-openssl-dev (Debian) and rebuild"
        }
    }
}
