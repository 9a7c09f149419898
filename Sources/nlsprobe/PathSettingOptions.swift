import NLSProbeRun

/// The values of the options that say where checks come from and how they are sent, as the run
/// library takes them: `PathOptions` (an option group of `plan` and `serve`) and `Run` (which
/// declares the same options itself, see there) have them.
protocol PathSettingOptions {
    var source: String? { get }
    var bind: String? { get }
    var proxy: String? { get }
    var noProxy: Bool { get }
    var griddConf: String? { get }
    var path: String { get }
    var caFile: String? { get }
    var connectTimeout: String? { get }
    var attempts: Int? { get }
    var maxChecks: Int { get }
}

extension PathSettingOptions {
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
