/// The outcome of resolving one host name.
public enum Resolution: Sendable, Equatable {
    /// The host is an IP literal; nothing was asked.
    case literal(String)
    /// The resolver answered with these addresses after `milliseconds`.
    case addresses([String], milliseconds: Double)
    /// The name did not resolve; `reason` says how.
    case failed(reason: String, milliseconds: Double)

    /// The addresses, empty when resolution failed.
    public var addresses: [String] {
        switch self {
        case .literal(let address): [address]
        case .addresses(let list, _): list
        case .failed: []
        }
    }

    /// Resolver time, nil for literals.
    public var milliseconds: Double? {
        switch self {
        case .literal: nil
        case .addresses(_, let ms), .failed(_, let ms): ms
        }
    }
}
