import ArgumentParser
import Foundation
import NLSProbeCore
import NLSProbeEngine
import NLSProbeRun
import NLSProbeServe
import NLSReporting

extension NLSProbe {
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "serve",
            abstract: "Run profiles on a schedule and serve the latest report and its metrics over HTTP.",
            discussion: """
                A Prometheus exporter: a run at start, then one every --interval (give or take --jitter), \
                never two at once. GET /metrics (Prometheus text), /report.json and /report.md (the latest \
                complete report; ?profile=NAME), /healthz, /readyz (200 once a run completed). Scrapes never \
                send probes; no endpoint changes anything. Listens on 127.0.0.1 unless --listen says \
                otherwise. SIGTERM or Ctrl-C cuts the run in progress and exits 0.
                """
        )

        @Argument(help: "Profiles to run: paths or built-in names (optional with --token or --gridd-conf).")
        var profiles: [String] = []

        @Option(help: "A client configuration token: its nodes and ports become the destinations.")
        var token: String?

        @OptionGroup var path: PathOptions

        @Option(help: "Address and port to serve on: 127.0.0.1:9623, [::1]:9623, or 0.0.0.0:9623 for every interface.")
        var listen = ListenAddress.loopback.description

        @Option(
            help: ArgumentHelp(
                "Time between the end of a run and the start of the next (1s to 24h).", valueName: "duration"))
        var interval = "5m"

        @Option(
            help: ArgumentHelp(
                "Each wait is longer or shorter by up to this, at random (default: a tenth of --interval).",
                valueName: "duration"))
        var jitter: String?

        @Option(help: "Also write every run's reports to this folder (one set per run; nothing is written without it).")
        var output: String?

        @Option(help: "Report formats written to --output, comma-separated: json, md, junit, prom, html, csv, jira.")
        var format = "json,md"

        @Option(help: "Checks in flight at once (bounded by the open-file limit).")
        var concurrency = 256

        @Option(help: "Checks in flight at once towards one destination address.")
        var perDestination = 64

        @Option(help: "A file holding \"user:password\" for the proxy (mode 0600; never echoed).")
        var proxyCredentialsFile: String?

        @Flag(help: "Capture each run's handshakes to a pcap file in --output (needs CAP_NET_RAW).")
        var capture = false

        @Option(help: ArgumentHelp("Capture on this interface only (implies --capture).", valueName: "interface"))
        var captureInterface: String?

        @Flag(name: .shortAndLong, help: "Diagnostics on standard error (-v: debug, -vv: every attempt).")
        var verbose: Int

        @Option(
            parsing: .unconditional,
            help: ArgumentHelp(
                "Flag servers whose clock is further off than this: 60s, 2m, 1h or seconds.", valueName: "duration"))
        var clockSkewLimit: String = "60s"

        func validate() throws {
            guard !profiles.isEmpty || token != nil || path.griddConf != nil else {
                throw ValidationError("name at least one profile (for example: nlsprobe serve cls), or give --token")
            }
            guard concurrency >= 1, perDestination >= 1 else {
                throw ValidationError("--concurrency and --per-destination must be at least 1")
            }
            if (capture || captureInterface != nil) && output == nil {
                throw ValidationError("--capture writes its pcap files to --output: give an --output folder")
            }
            _ = try settings()
        }

        /// The listen address, the schedule and the report formats, or why they cannot be used.
        func settings() throws -> (
            listen: ListenAddress, schedule: ServeSchedule, formats: [ReportFormat], skew: Double
        ) {
            do {
                let formats = try ReportFormat.list(format)
                let skew = try Durations.parse(option: "--clock-skew-limit", clockSkewLimit, allowZero: true)
                return (
                    try ListenAddress(parsing: listen), try ServeSchedule(interval: interval, jitter: jitter), formats,
                    skew
                )
            } catch let error as ReportFormatError {
                throw ValidationError("--format \(error.description)")
            } catch {
                throw ValidationError("\(error)")
            }
        }

        /// The exporter as the library takes it.
        func configuration() throws -> ServeConfiguration {
            let (listen, schedule, formats, skew) = try settings()
            var run = RunConfiguration(profiles: profiles)
            run.settings = path.settings
            run.token = token
            run.limits = ConcurrencyLimits(global: concurrency, perDestination: perDestination)
            run.proxyCredentialsFile = proxyCredentialsFile
            run.clockSkewLimit = skew
            run.logger = Diagnostics.logger(verbosity: verbose)
            var configuration = ServeConfiguration(run: run, schedule: schedule)
            configuration.listen = listen
            if let output {
                configuration.run.writesReports = true
                configuration.run.output = output
                configuration.run.formats = formats
                if capture || captureInterface != nil {
                    configuration.run.capture = CaptureRequest(interface: captureInterface ?? "any")
                }
            }
            return configuration
        }

        func run() async throws {
            let configuration = try configuration()
            let schedule = configuration.schedule
            let events = ServeEvents(
                message: { printError($0.description) },
                listening: { address in
                    let jitter = schedule.jitter > 0 ? " ± \(Self.text(schedule.jitter))" : ""
                    printError(
                        "serving http://\(address)/metrics; a run now, then every \(Self.text(schedule.interval))\(jitter)"
                    )
                },
                runEnded: { printError(Self.line($0)) })
            var messages: [RunMessage] = []
            let exporter: Exporter
            do {
                exporter = try Exporter(configuration, events: events, messages: &messages)
            } catch {
                messages.forEach(events.message)
                if case .run(let error) = error { try RunFailure.presenting { throw error } }
                throw ValidationError(error.description)
            }
            messages.forEach(events.message)
            let interrupts = InterruptSignals(
                notice: { printError($0.replacingOccurrences(of: "finishing the reports", with: "stopping")) },
                action: { exporter.stop() })
            defer { interrupts.cancel() }
            do {
                try await exporter.run()
            } catch {
                printError(error.description)
                throw ExitCode(Exit.internalError)
            }
        }

        /// "run 3: cls fail (12 pass, 1 fail) in 2.1 s; next in 5m 3s".
        static func line(_ run: ServeRunSummary) -> String {
            let profiles = run.profiles.map { profile in
                let counts = [
                    ("pass", profile.summary.pass), ("fail", profile.summary.fail),
                    ("inconclusive", profile.summary.inconclusive), ("skipped", profile.summary.skipped),
                ].filter { $0.1 > 0 }.map { "\($0.1) \($0.0)" }.joined(separator: ", ")
                return "\(profile.name) \(profile.summary.verdict.rawValue) (\(counts))"
            }.joined(separator: "; ")
            let what =
                run.outcome == .complete
                ? profiles : "\(run.outcome.rawValue)\(profiles.isEmpty ? "" : ": \(profiles)")"
            let next = run.nextRun.map { "; next in \(text($0))" } ?? ""
            return "run \(run.number): \(what) in \(Durations.format(run.duration))\(next)"
        }

        /// "5m", "1h", "90s", "4m 57s".
        static func text(_ seconds: Double) -> String {
            if seconds < 1 { return "\(Int((seconds * 1000).rounded()))ms" }
            let whole = Int(seconds.rounded())
            if whole >= 3600 && whole % 3600 == 0 { return "\(whole / 3600)h" }
            if whole >= 60 {
                return whole % 60 == 0 ? "\(whole / 60)m" : "\(whole / 60)m \(whole % 60)s"
            }
            return "\(whole)s"
        }
    }
}
