import NLSProbeRun

/// Why `serve` cannot start or go on, with a message a person can act on.
public enum ServeError: Error, Sendable, CustomStringConvertible {
    /// The run cannot be made (a profile, the token, a setting, the engine): see ``RunError``.
    case run(RunError)
    /// A `--listen` value that is not ADDRESS:PORT.
    case invalidListen(String)
    /// An `--interval` or `--jitter` value that cannot be used.
    case invalidSchedule(String)
    /// Two profiles with the same name: their metrics would collide.
    case duplicateProfile(String)
    /// The HTTP server could not listen (the port is taken, the address is not on this host).
    case cannotListen(address: String, reason: String)
    /// The HTTP server stopped with an error after it had started.
    case serverFailed(String)

    /// The message.
    public var description: String {
        switch self {
        case .run(let error): error.description
        case .invalidListen(let text):
            "--listen \"\(text)\" is not ADDRESS:PORT: give an IPv4 address and a port such as 127.0.0.1:9623, "
                + "or an IPv6 one in brackets such as [::1]:9623 (port 1-65535)"
        case .invalidSchedule(let message): message
        case .duplicateProfile(let name):
            "profile \"\(name)\" is named twice: each profile of a serve must have a name of its own "
                + "(its metrics are labelled with it)"
        case .cannotListen(let address, let reason):
            "cannot listen on \(address): \(reason); choose another --listen address or port"
        case .serverFailed(let reason): "the HTTP server stopped: \(reason)"
        }
    }
}
