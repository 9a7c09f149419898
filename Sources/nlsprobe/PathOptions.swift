import ArgumentParser
import NLSProbeCore

/// Options shared by `plan` and `serve` (and declared by `run` itself): where checks come from
/// and how they are sent.
struct PathOptions: ParsableArguments, PathSettingOptions {
    @Option(help: PathHelp.source)
    var source: String?

    @Option(help: PathHelp.bind)
    var bind: String?

    @Option(help: PathHelp.proxy)
    var proxy: String?

    @Flag(help: PathHelp.noProxy)
    var noProxy = false

    @Option(help: PathHelp.griddConf)
    var griddConf: String?

    @Option(help: PathHelp.path)
    var path: String = "proxy"

    @Option(help: PathHelp.caFile)
    var caFile: String?

    // Unconditional: "--connect-timeout -1" reaches the check below, which says it is negative.
    @Option(parsing: .unconditional, help: PathHelp.connectTimeout)
    var connectTimeout: String?

    @Option(help: PathHelp.attempts)
    var attempts: Int?

    @Option(help: PathHelp.maxChecks)
    var maxChecks: Int = PlanLimits.defaultMaxChecks
}
