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

    @Option(help: "Use this proxy for every flow (http://, https://, socks5://, socks5h://).")
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

extension NLSProbe {
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "run",
            abstract: "Run profiles and write the pass/fail matrix as reports.",
            discussion: "PROFILE is a path or a built-in name (see `nlsprobe profiles`)."
        )

        @Argument(help: "Profiles to run: paths or built-in names (optional with --token or --gridd-conf).")
        var profiles: [String] = []

        @Option(help: "A client configuration token: its nodes and ports become the destinations.")
        var token: String?

        @OptionGroup var path: PathOptions

        @Option(
            help:
                "Checks at work at once, all destinations together: a SYN until answered or presumed dropped, then its connection until closed (SYNs presumed dropped stop counting; at most 8 times N in flight; bounded by the open-file limit)."
        )
        var concurrency = 256

        @Option(
            help:
                "Checks at work at once towards one destination address: a SYN until answered or presumed dropped (no answer within a delay learnt from the destination's round trips), then its connection until closed."
        )
        var perDestination = 64

        @Option(help: "Folder the reports are written to.")
        var output = "Reports"

        @Option(help: "Report formats, comma-separated: json, md, junit, prom (JSON is always written).")
        var format = "json,md"

        @Option(help: "Also write the metrics to DIR/nlsprobe_<profile>.prom, for node_exporter's textfile collector.")
        var metricsDir: String?

        @Flag(help: "Print only the verdict line and the report paths.")
        var quiet = false

        @Flag(help: "No colour, even on a terminal.")
        var noColor = false

        @Option(help: "A file holding \"user:password\" for the proxy (mode 0600; never echoed).")
        var proxyCredentialsFile: String?

        @Flag(
            help:
                "Capture the handshakes (libpcap, every interface) to <output>/<profile>-<time>.pcap, beside the reports."
        )
        var capture = false

        @Option(help: ArgumentHelp("Capture on this interface only (implies --capture).", valueName: "interface"))
        var captureInterface: String?

        @Flag(
            help: "Stop with exit 64 when the capture cannot start, instead of running without it (implies --capture).")
        var captureRequired = false

        @Flag(name: .shortAndLong, help: "Diagnostics on standard error (-v: debug, -vv: every attempt).")
        var verbose: Int

        @Option(
            parsing: .unconditional,
            help: ArgumentHelp(
                "Flag servers whose clock is further off than this (licensing fails on clock skew): 60s, 2m, 1h or seconds.",
                valueName: "duration"))
        var clockSkewLimit: String = "60s"

        /// True when any capture option was given.
        var capturing: Bool { capture || captureInterface != nil || captureRequired }

        func validate() throws {
            guard !profiles.isEmpty || token != nil || path.griddConf != nil else {
                throw ValidationError("name at least one profile (for example: nlsprobe run cls), or give --token")
            }
            guard concurrency >= 1, perDestination >= 1 else {
                throw ValidationError("--concurrency and --per-destination must be at least 1")
            }
            _ = try formats()
            _ = try skewLimit()
            if let captureInterface {
                guard !captureInterface.isEmpty, !captureInterface.hasPrefix("-") else {
                    throw ValidationError(
                        "--capture-interface needs an interface name such as eth0 or lo (see: ip link)")
                }
            }
        }

        /// `--clock-skew-limit` in seconds (0 or more).
        func skewLimit() throws -> Double {
            do {
                return try Durations.parse(option: "--clock-skew-limit", clockSkewLimit, allowZero: true)
            } catch {
                throw ValidationError(error.description)
            }
        }

        func formats() throws -> [ReportFormat] {
            do {
                return try ReportFormat.list(format)
            } catch {
                throw ValidationError("--format \(error.description)")
            }
        }

        /// The run as the library takes it.
        func configuration() throws -> RunConfiguration {
            var configuration = RunConfiguration(profiles: profiles)
            configuration.settings = path.settings
            configuration.token = token
            configuration.limits = ConcurrencyLimits(global: concurrency, perDestination: perDestination)
            configuration.output = output
            configuration.formats = try formats()
            configuration.metricsDirectory = metricsDir
            configuration.proxyCredentialsFile = proxyCredentialsFile
            if capturing {
                configuration.capture = CaptureRequest(interface: captureInterface ?? "any", required: captureRequired)
            }
            configuration.clockSkewLimit = try skewLimit()
            configuration.logger = Diagnostics.logger(verbosity: verbose)
            return configuration
        }

        func run() async throws {
            let terminal = Terminal(color: !noColor, quiet: quiet)
            let events = RunEvents(
                message: { message in
                    terminal.clearProgress()
                    printError(message.description)
                },
                progress: { done, total in terminal.progress(done: done, total: total) },
                finished: { result in
                    terminal.clearProgress()
                    terminal.show(result.report, paths: result.files)
                })
            let results = try await RunFailure.presenting {
                var messages: [RunMessage] = []
                let session: RunSession
                do {
                    session = try RunSession(try configuration(), messages: &messages)
                } catch {
                    messages.forEach(events.message)
                    throw error
                }
                messages.forEach(events.message)
                let interrupts = InterruptSignals(
                    notice: { StandardStream.error.write("\nnlsprobe: \($0)\n") }, action: { session.interrupt() })
                defer {
                    interrupts.cancel()
                    session.shutdown()
                }
                return try await session.run(events: events)
            }
            // Reports that did not reach --output (even when saved to the fallback place) are an error:
            // whatever reads them from there will not find them.
            if results.contains(where: { !$0.saved }) { throw ExitCode(Exit.internalError) }
            throw ExitCode(Exit.code(for: Verdict.overall(results.map(\.report.summary.verdict))))
        }
    }
}

/// Diagnostics through swift-log, on standard error.
enum Diagnostics {
    /// A logger at warning level, debug with -v, trace with -vv.
    static func logger(verbosity: Int) -> Logger {
        var logger = Logger(label: "nlsprobe") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = verbosity >= 2 ? .trace : verbosity == 1 ? .debug : .warning
        return logger
    }
}
