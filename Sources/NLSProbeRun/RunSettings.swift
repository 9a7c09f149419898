import Foundation
import NLSLicensing
import NLSProbeCore
import NLSProbeEngine

/// How checks are sent, as a person gives it (the `run` and `plan` options): checked and turned
/// into the engine's ``RunOptions`` by ``options()``.
public struct RunSettings: Sendable {
    /// Run only this source group, as if this host were in it.
    public var source: String?
    /// Send checks from this local address.
    public var bind: String?
    /// Use this proxy URL (without credentials) for every flow.
    public var proxy: String?
    /// Connect directly for every flow, whatever the profile says.
    public var noProxy = false
    /// Use the proxy the licensed client's gridd.conf names.
    public var griddConf: String?
    /// "direct", "proxy" or "direct,proxy" (both, side by side).
    public var path = "proxy"
    /// Extra trust anchors (PEM) for every TLS flow.
    public var caFile: String?
    /// The TCP connect timeout for every flow, as written ("500ms", "3s").
    public var connectTimeout: String?
    /// Attempts per check.
    public var attempts: Int?
    /// The largest plan accepted.
    public var maxChecks = PlanLimits.defaultMaxChecks
    /// `.onFailure` traces every failed check's path and diagnoses every name that did not
    /// resolve (`--trace`); `.off` traces none (`--no-trace`); nil does as each profile's `trace` says.
    public var trace: TraceMode?

    /// Settings that change nothing in the profiles.
    public init() {}

    /// The engine's options. What the person should be told (gridd.conf notes and warnings) is
    /// added to `messages`, also when the settings are refused.
    ///
    /// - Throws: ``RunError/invalidSetting(_:)`` naming the setting and what it accepts.
    public func options(messages: inout [RunMessage]) throws(RunError) -> RunOptions {
        var options = RunOptions()
        if let bind {
            guard let address = IPAddress(bind) else {
                throw .invalidSetting("--bind '\(Excerpt.quote(bind))' is not an IPv4 or IPv6 address")
            }
            // Found here, before anything is resolved or sent: the kernel would refuse every check.
            let local = LocalAddresses.current()
            guard local.contains(address) else {
                let list = local.map(\.description).joined(separator: ", ")
                throw .invalidSetting(
                    "--bind \(address) is not an address of this host (its addresses: \(list.isEmpty ? "none" : list)); "
                        + "give one of them, or leave --bind out and let the kernel choose")
            }
            options.selection.bind = address
        }
        options.selection.group = source
        if let proxy {
            guard !noProxy else { throw .invalidSetting("--proxy and --no-proxy exclude each other") }
            guard let setting = ProxySetting(parsing: proxy) else {
                if proxy.contains("@") {
                    // Never echo it: the URL holds a password.
                    throw .invalidSetting(
                        "--proxy holds credentials; give \"user:password\" with --proxy-credentials-file or the variable the profile names in proxy_credentials_env"
                    )
                }
                throw .invalidSetting(
                    "--proxy '\(proxy)' is not a proxy URL without credentials (schemes: \(ProxySetting.schemes.joined(separator: ", ")))"
                )
            }
            options.override.proxy = setting
        }
        if let griddConf, options.override.proxy == nil {
            let conf: GriddConf
            do {
                conf = try GriddConf.load(path: griddConf)
            } catch {
                throw .invalidSetting(error.description)
            }
            messages += conf.issues.map { RunMessage(.warning, "\($0)") }
            do {
                if let proxy = try conf.proxy() {
                    options.override.proxy = proxy
                } else {
                    options.override.proxy = .direct
                    messages.append(
                        RunMessage(
                            .note, "\(griddConf) sets no ProxyServerAddress: the licensed client connects directly"))
                }
            } catch {
                throw .invalidSetting(error.description)
            }
            if let user = conf.proxyUser {
                messages.append(
                    RunMessage(
                        .note,
                        "\(griddConf) names proxy user \(Excerpt.quote(user)); its password is encrypted for the client, give it with --proxy-credentials-file"
                    ))
            }
        }
        if noProxy { options.override.proxy = .direct }
        if let caFile {
            guard FileManager.default.isReadableFile(atPath: caFile) else {
                throw .invalidSetting("--ca-file \(caFile) cannot be read; expected a PEM file of trust anchors")
            }
            options.override.caFile = URL(fileURLWithPath: caFile).standardized.path
        }
        switch path.replacingOccurrences(of: " ", with: "") {
        case "proxy": break
        case "direct": options.override.proxy = .direct
        case "direct,proxy", "proxy,direct": options.comparePaths = true
        default: throw .invalidSetting("--path '\(path)' must be direct, proxy, or direct,proxy")
        }
        if let connectTimeout {
            do {
                options.override.connectTimeout = try Durations.parse(
                    option: "--connect-timeout", connectTimeout, maximum: Durations.maxSeconds)
            } catch {
                throw .invalidSetting(error.description)
            }
        }
        if let attempts {
            guard ProfileLimits.attempts.contains(attempts) else {
                throw .invalidSetting("--attempts must be \(ProfileLimits.describe(ProfileLimits.attempts))")
            }
            options.override.attempts = attempts
        }
        guard maxChecks >= PlanLimits.leastMaxChecks else {
            throw .invalidSetting("--max-checks must be at least \(PlanLimits.leastMaxChecks)")
        }
        options.maxChecks = maxChecks
        if let trace { options.override.trace = trace }
        return options
    }

    /// Refuses a `--source` that names no group of `profile`.
    public func checkSourceGroup(in profile: Profile) throws(RunError) {
        guard let source else { return }
        let known = profile.sources.map(\.name) + profile.destinations.map(\.name)
        guard known.contains(source) else {
            throw .invalidSetting(
                "--source '\(source)' names no group of profile '\(profile.name)' (groups: \(known.joined(separator: ", ")))"
            )
        }
    }
}
