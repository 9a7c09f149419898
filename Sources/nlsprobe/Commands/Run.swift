import ArgumentParser
import Foundation
import Logging
import NLSProbeCore
import NLSProbeEngine
import NLSProbeRun
import NLSReporting

extension NLSProbe {
    struct Run: AsyncParsableCommand, PathSettingOptions {
        static let configuration = CommandConfiguration(
            commandName: "run",
            abstract: "Run profiles and write the pass/fail matrix as reports.",
            discussion: "PROFILE is a path or a built-in name (see `nlsprobe profiles`)."
        )

        @Argument(help: "Profiles to run: paths or built-in names (optional with --token or --gridd-conf).")
        var profiles: [String] = []

        @Option(help: "A client configuration token: its nodes and ports become the destinations.")
        var token: String?

        // The options of `PathOptions`, declared here rather than as its option group: the same
        // names, help and order, without the group's own reflection and type lookups, which a
        // run pays before its first check (about 3 % of the instructions from exec to the first SYN).

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

        @Option(
            help: "Report formats, comma-separated: json, md, junit, prom, html, csv, jira (JSON is always written).")
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

        @Flag(
            inversion: .prefixedNo,
            help:
                "Say where a failed check stops: trace its path with SYNs of TTL 1, 2, 3… (the hop that drops or rejects it), ask the resolvers of a name that did not resolve. Default: as the profile's trace says (the built-in profiles: on-failure); --no-trace sends nothing but the checks."
        )
        var trace: Bool?

        @Option(
            parsing: .unconditional,
            help: ArgumentHelp(
                "Flag servers whose clock is further off than this (licensing fails on clock skew): 60s, 2m, 1h or seconds.",
                valueName: "duration"))
        var clockSkewLimit: String = "60s"

        /// True when any capture option was given.
        var capturing: Bool { capture || captureInterface != nil || captureRequired }

        func validate() throws {
            guard !profiles.isEmpty || token != nil || griddConf != nil else {
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
            configuration.settings = settings
            configuration.settings.trace = trace.map { $0 ? .onFailure : .off }
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
