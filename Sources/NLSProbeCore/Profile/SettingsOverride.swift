/// Command-line settings that win over the profile's defaults and flows.
public struct SettingsOverride: Sendable, Equatable {
    /// `--connect-timeout`.
    public var connectTimeout: Double?
    /// `--attempts`.
    public var attempts: Int?
    /// `--proxy URL`, `--no-proxy`.
    public var proxy: ProxySetting?
    /// `--ca-file`: trust anchors for every TLS flow.
    public var caFile: String?
    /// `--trace`: trace every failed check's path.
    public var trace: TraceMode?

    /// No override.
    public init(connectTimeout: Double? = nil, attempts: Int? = nil, proxy: ProxySetting? = nil, caFile: String? = nil)
    {
        self.connectTimeout = connectTimeout
        self.attempts = attempts
        self.proxy = proxy
        self.caFile = caFile
    }
}

extension Profile {
    /// The profile with command-line settings applied to its defaults and every flow.
    public func applying(_ override: SettingsOverride) -> Profile {
        func apply(_ settings: inout CheckSettings) {
            if let value = override.connectTimeout { settings.connectTimeout = value }
            if let value = override.attempts { settings.attempts = value }
            if let value = override.proxy { settings.proxy = value }
            if let value = override.caFile { settings.tls.caFile = value }
            if let value = override.trace { settings.trace = value }
        }
        var copy = self
        apply(&copy.defaults)
        for index in copy.flows.indices { apply(&copy.flows[index].settings) }
        return copy
    }
}
