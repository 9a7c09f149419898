import ArgumentParser
import NLSProbeCore

/// The help of the options that say where checks come from and how they are sent: one text for
/// `run` (which declares these options itself) and for `plan` and `serve` (`PathOptions`).
enum PathHelp {
    static let source: ArgumentHelp = "Run only this source group, as if this host were in it."
    static let bind: ArgumentHelp = "Send checks from this local address."
    static let proxy: ArgumentHelp =
        "Use this proxy for every flow (http://, https://, socks4://, socks4a://, socks5://, socks5h://)."
    static let noProxy: ArgumentHelp = "Connect directly for every flow, whatever the profile says."
    static let griddConf: ArgumentHelp =
        "Use the proxy the licensed client is configured with (ProxyServerAddress/ProxyServerPort)."
    static let path: ArgumentHelp = "direct, proxy, or direct,proxy: run every proxied check both ways, side by side."
    static let caFile: ArgumentHelp = "Extra trust anchors (PEM) for every TLS flow: a DLS with its own CA."
    static let connectTimeout = ArgumentHelp(
        "TCP connect timeout for every flow: 500ms, 3s, 2m or a number of seconds (more than 0, at most \(Durations.maxText)).",
        valueName: "duration")
    static let attempts = ArgumentHelp(
        "Attempts per check (\(ProfileLimits.attempts.lowerBound)-\(ProfileLimits.attempts.upperBound)); a check stops at the first attempt that meets its expectation."
    )
    static let maxChecks: ArgumentHelp =
        "Refuse a plan of more than this many checks (counted before anything is expanded)."
}
