/// Why the engine could not start, or could not run libcurl's checks.
public enum EngineError: Error, Sendable, CustomStringConvertible {
    /// libcurl (loaded at first use) could not be loaded: the dynamic loader's reason.
    case curlNotLoaded(String)
    /// libcurl could not be initialised.
    case curlUnavailable(String)
    /// libcurl was built without a feature a check needs.
    case missingFeature(String)
    /// An engine thread could not make its wake-up descriptor (eventfd): the errno text.
    case wakeupUnavailable(String)

    /// A message a person can act on.
    public var description: String {
        switch self {
        case .curlNotLoaded(let detail):
            "libcurl could not be loaded (\(detail)): tls and http checks, and checks through a proxy, need it; install libcurl4 (Debian, Ubuntu) or libcurl (RHEL)"
        case .curlUnavailable(let detail): "libcurl could not be initialised: \(detail)"
        case .missingFeature(let feature):
            "the installed libcurl lacks \(feature); install libcurl4-openssl-dev (Debian) and rebuild"
        case .wakeupUnavailable(let detail):
            "the engine could not make its wake-up descriptor (eventfd: \(detail)); raise the open-file limit (ulimit -n)"
        }
    }
}
