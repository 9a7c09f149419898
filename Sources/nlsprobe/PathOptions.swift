import ArgumentParser
import Foundation
import Logging
import NLSProbeCore
import NLSProbeEngine
import NLSProbeRun
import NLSReporting

/// Options shared by `run` and `plan`: where checks come from and how they are sent.
struct PathOptions: ParsableArguments {
    @Option(help: "Run only this source group, as if this host were in it.")
    var source: String?

    @Option(help: "Send checks from this local address.")
    var bind: String?

    @Option(help: "Use this proxy for every flow (http://, https://, socks4://, socks4a://, socks5://, socks5h://).")
    var proxy: String?

    @Flag(help: "Connect directly for every flow, whatever the profile says.")
    var noProxy = false

    @Option(help: "Use the proxy the licensed client is configured with (ProxyServerAddress/ProxyServerPort).")
    var griddConf: String?

    @Option(help: "direct, proxy, or direct,proxy: run every proxied check both ways, side by side.")
    var path: String = "proxy"

    @Option(help: "Extra trust anchors (PEM) for every TLS flow: a DLS with its own CA.")
    var caFile: String?

    // Unconditional: "--connect-timeout -1" reaches the check below, which says it is negative.
    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "TCP connect timeout for every flow: 500ms, 3s, 2m or a number of seconds (more than 0, at most \(Durations.maxText)).",
            valueName: "duration"))
    var connectTimeout: String?

    @Option(
        help:
            "Attempts per check (\(ProfileLimits.attempts.lowerBound)-\(ProfileLimits.attempts.upperBound)); a check stops at the first attempt that meets its expectation."
    )
    var attempts: Int?

    @Option(help: "Refuse a plan of more than this many checks (counted before anything is expanded).")
    var maxChecks: Int = PlanLimits.defaultMaxChecks

    /// The settings as the run library takes them.
    var settings: RunSettings {
        var settings = RunSettings()
        settings.source = source
        settings.bind = bind
        settings.proxy = proxy
        settings.noProxy = noProxy
        settings.griddConf = griddConf
        settings.path = path
        settings.caFile = caFile
        settings.connectTimeout = connectTimeout
        settings.attempts = attempts
        settings.maxChecks = maxChecks
        return settings
    }
}
