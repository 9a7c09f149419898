import ArgumentParser
import Dispatch
import Foundation
import Logging
import NLSCapture
import NLSLicensing
import NLSProbeCore
import NLSProbeEngine
import NLSReporting

#if canImport(Glibc)
    import Glibc
#endif

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
            "TCP connect timeout for every flow: 500ms, 3s, 2m or a number of seconds (more than 0, at most 10m).",
            valueName: "duration"))
    var connectTimeout: String?

    @Option(help: "Attempts per check (1-10); a check stops at the first attempt that meets its expectation.")
    var attempts: Int?

    @Option(help: "Refuse a plan of more than this many checks (counted before anything is expanded).")
    var maxChecks: Int = PlanLimits.defaultMaxChecks

    func validated() throws -> RunOptions {
        var options = RunOptions()
        if let bind {
            guard let address = IPAddress(bind) else {
                throw ValidationError("--bind '\(Excerpt.quote(bind))' is not an IPv4 or IPv6 address")
            }
            // Found here, before anything is resolved or sent: the kernel would refuse every check.
            let local = LocalAddresses.current()
            guard local.contains(address) else {
                let list = local.map(\.description).joined(separator: ", ")
                throw ValidationError(
                    "--bind \(address) is not an address of this host (its addresses: \(list.isEmpty ? "none" : list)); "
                        + "give one of them, or leave --bind out and let the kernel choose")
            }
            options.selection.bind = address
        }
        options.selection.group = source
        if let proxy {
            guard !noProxy else { throw ValidationError("--proxy and --no-proxy exclude each other") }
            guard let setting = ProxySetting(parsing: proxy) else {
                if proxy.contains("@") {
                    // Never echo it: the URL holds a password.
                    throw ValidationError(
                        "--proxy holds credentials; give \"user:password\" with --proxy-credentials-file or the variable the profile names in proxy_credentials_env"
                    )
                }
                throw ValidationError(
                    "--proxy '\(proxy)' is not a proxy URL without credentials (schemes: \(ProxySetting.schemes.joined(separator: ", ")))"
                )
            }
            options.override.proxy = setting
        }
        if let griddConf, options.override.proxy == nil {
            do {
                let conf = try GriddConf.load(path: griddConf)
                for issue in conf.issues {
                    printError("warning: \(issue)")
                }
                if let proxy = try conf.proxy() {
                    options.override.proxy = proxy
                } else {
                    options.override.proxy = .direct
                    printError(
                        "note: \(griddConf) sets no ProxyServerAddress: the licensed client connects directly")
                }
                if let user = conf.proxyUser {
                    printError(
                        "note: \(griddConf) names proxy user \(Excerpt.quote(user)); its password is encrypted for the client, give it with --proxy-credentials-file"
                    )
                }
            } catch {
                throw ValidationError(error.description)
            }
        }
        if noProxy { options.override.proxy = .direct }
        if let caFile {
            guard FileManager.default.isReadableFile(atPath: caFile) else {
                throw ValidationError("--ca-file \(caFile) cannot be read; expected a PEM file of trust anchors")
            }
            options.override.caFile = URL(fileURLWithPath: caFile).standardized.path
        }
        switch path.replacingOccurrences(of: " ", with: "") {
        case "proxy": break
        case "direct": options.override.proxy = .direct
        case "direct,proxy", "proxy,direct": options.comparePaths = true
        default: throw ValidationError("--path '\(path)' must be direct, proxy, or direct,proxy")
        }
        if let connectTimeout {
            do {
                options.override.connectTimeout = try Durations.parse(
                    option: "--connect-timeout", connectTimeout, maximum: Durations.maxSeconds)
            } catch {
                throw ValidationError(error.description)
            }
        }
        if let attempts {
            guard (1...10).contains(attempts) else { throw ValidationError("--attempts must be from 1 to 10") }
            options.override.attempts = attempts
        }
        guard maxChecks >= 1 else { throw ValidationError("--max-checks must be at least 1") }
        options.maxChecks = maxChecks
        return options
    }

    /// Refuses a profile, as the run would apply it, that expands to more checks than the limit:
    /// counted by multiplying, before anything is expanded or resolved (token-made profiles too).
    func checkPlanSize(of profile: Profile, options: RunOptions) throws {
        do {
            try profile.applying(options.override).checkPlanSize(
                maxChecks: options.maxChecks, pathVariants: options.comparePaths ? 2 : 1)
        } catch {
            printError(error.description)
            throw ExitCode(Exit.usage)
        }
    }

    /// Plans a profile for this host; a plan that its resolved names make too large is refused
    /// with its count (exit 64).
    func plan(_ profile: Profile, options: RunOptions) async throws -> RunPlan {
        do {
            return try await ProbeRunner.plan(profile, options: options)
        } catch {
            printError(error.description)
            throw ExitCode(Exit.usage)
        }
    }

    func checkSourceGroup(in profile: Profile) throws {
        guard let source else { return }
        let known = profile.sources.map(\.name) + profile.destinations.map(\.name)
        guard known.contains(source) else {
            throw ValidationError(
                "--source '\(source)' names no group of profile '\(profile.name)' (groups: \(known.joined(separator: ", ")))"
            )
        }
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

        @Option(help: "Checks in flight at once (bounded by the open-file limit).")
        var concurrency = 256

        @Option(help: "Checks in flight at once towards one destination address.")
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

        func run() async throws {
            var options = try path.validated()
            options.limits = ConcurrencyLimits(global: concurrency, perDestination: perDestination)
            guard var loaded = ProfileLocator.loadAll(profiles, maxChecks: options.maxChecks) else {
                throw ExitCode(Exit.usage)
            }
            var warnings: [String] = []
            if let tokenPath = try tokenPath() {
                let token: ClientToken
                do {
                    token = try ClientToken.load(path: tokenPath)
                } catch {
                    printError(error.message(file: tokenPath))
                    throw ExitCode(Exit.usage)
                }
                warnings = token.validityWarnings().map { "\(tokenPath): \($0)" }
                for warning in warnings { printError("warning: \(warning)") }
                let name = (tokenPath as NSString).lastPathComponent
                loaded =
                    loaded.isEmpty
                    ? [TokenProfile.profile(from: token, source: name)]
                    : loaded.map { TokenProfile.fill($0, with: token) }
            }
            for profile in loaded {
                try path.checkSourceGroup(in: profile)
                try path.checkPlanSize(of: profile, options: options)
                for warning in profile.placeholderWarnings { printError("warning: \(warning)") }
            }
            let credentials = try proxyCredentialsFile.map(ProxyCredentials.read)
            if options.comparePaths
                && !loaded.contains(where: { profile in
                    profile.applying(options.override).flows.contains { $0.settings.proxy.isProxied }
                })
            {
                throw ValidationError(
                    "--path direct,proxy needs a proxy: set one in the profile, with --proxy or --gridd-conf")
            }
            // The output folders must take the reports before anything is sent: a run whose results
            // cannot be saved is not started.
            for folder in [output] + (metricsDir.map { [$0] } ?? []) {
                do {
                    try OutputFolder.prepare(folder)
                } catch {
                    printError(error.description)
                    throw ExitCode(Exit.internalError)
                }
                for name in OutputFolder.removeStaleTemporaryFiles(in: folder) {
                    printError("note: removed \(folder)/\(name), left behind by an nlsprobe that was killed mid-write")
                }
            }
            let logger = Diagnostics.logger(verbosity: verbose)
            let engine: ProbeEngine
            do {
                engine = try ProbeEngine(
                    limits: options.limits, userAgent: "nlsprobe/\(toolVersion)", logger: logger,
                    proxyCredentials: credentials, bindBeforeConnect: capturing)
            } catch {
                printError(error.description)
                throw ExitCode(Exit.internalError)
            }
            let interrupts = InterruptHandler { engine.interrupt() }
            defer { interrupts.cancel() }
            let terminal = Terminal(color: !noColor, quiet: quiet)
            let runner = ProbeRunner(engine: engine, toolVersion: toolVersion)
            var verdicts: [Verdict] = []
            var unsaved = false
            var captureWarned = false
            let skewLimit = try skewLimit()
            for profile in loaded {
                if engine.isInterrupted { break }
                let started = Date()
                let plan = try await path.plan(profile, options: options)
                // The run's file names, claimed before anything is written: no other run, started in
                // the same millisecond into the same folder, writes its report or capture there.
                let names: RunFileNames
                do {
                    names = try RunFileNames.claim(folder: output, profile: profile.name, started: started)
                } catch {
                    printError(error.description)
                    throw ExitCode(Exit.internalError)
                }
                defer { names.release() }
                let packets = try startCapture(plan, path: names.path(".pcap"), warned: &captureWarned)
                var wire: (@Sendable (String, Int, Int, Double) -> WireEvidence?)?
                var stopCapture: (@Sendable () -> Void)?
                if let packets {
                    wire = { remote, remotePort, localPort, since in
                        guard let address = IPAddress(remote), let local = UInt16(exactly: localPort),
                            let port = UInt16(exactly: remotePort)
                        else { return nil }
                        let key = FlowKey(localPort: local, remote: address, remotePort: port)
                        return packets.evidence(for: key, since: since)
                    }
                    stopCapture = {
                        usleep(10_000)  // answers still in flight when the last check ended
                        packets.stop()
                    }
                }
                let progress: @Sendable (Int, Int) -> Void = { done, total in
                    terminal.progress(done: done, total: total)
                }
                var report = await runner.run(
                    plan, started: started, progress: progress, wire: wire, beforeWire: stopCapture)
                report.run.capture = packets?.path
                let runWarnings = warnings + profile.placeholderWarnings
                report.run.warnings = runWarnings.isEmpty ? nil : runWarnings
                report.run.clockSkewLimitS = skewLimit
                terminal.clearProgress()
                let written = write(report, names: names, started: started)
                if !written.saved { unsaved = true }
                terminal.show(report, paths: written.paths)
                verdicts.append(report.summary.verdict)
            }
            engine.shutdown()
            // Reports that did not reach --output (even when saved to the fallback place) are an error:
            // whatever reads them from there will not find them.
            if unsaved { throw ExitCode(Exit.internalError) }
            throw ExitCode(Exit.code(for: Verdict.overall(verdicts)))
        }

        /// The token to read: --token, or with --gridd-conf and no profile, the client's own
        /// (ClientConfigTokenPath, or /etc/nvidia/ClientConfigToken/; the newest .tok in a folder).
        func tokenPath() throws -> String? {
            if let token { return token }
            guard profiles.isEmpty, let griddConf = path.griddConf else { return nil }
            let conf: GriddConf
            do {
                conf = try GriddConf.load(path: griddConf)
            } catch {
                throw ValidationError(error.description)
            }
            let location = conf.tokenPath ?? "/etc/nvidia/ClientConfigToken/"
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: location, isDirectory: &isDirectory) else {
                throw ValidationError(
                    "\(griddConf): the client's token location \(location) does not exist; give --token")
            }
            guard isDirectory.boolValue else { return location }
            let files = (try? FileManager.default.contentsOfDirectory(atPath: location)) ?? []
            let tokens = files.filter { $0.hasSuffix(".tok") }.map { (location as NSString).appendingPathComponent($0) }
            let newest = tokens.max { a, b in
                let dateA =
                    (try? FileManager.default.attributesOfItem(atPath: a)[.modificationDate] as? Date) ?? .distantPast
                let dateB =
                    (try? FileManager.default.attributesOfItem(atPath: b)[.modificationDate] as? Date) ?? .distantPast
                return dateA < dateB
            }
            guard let newest else {
                throw ValidationError("\(griddConf): no .tok file in \(location); give --token")
            }
            return newest
        }

        /// Starts the run's capture into `path` (the run's claimed name), or says once why there is
        /// none (an error with --capture-required).
        func startCapture(_ plan: RunPlan, path: String, warned: inout Bool) throws -> PacketCapture? {
            guard capturing else { return nil }
            let required = captureRequired
            let interface = captureInterface ?? "any"
            let direct = plan.checks.filter { $0.skipReason == nil && !$0.settings.proxy.isProxied }
            let filter = PacketCapture.filter(addresses: direct.compactMap(\.address), ports: direct.map(\.port))
            do {
                return try PacketCapture(interface: interface, filter: filter, path: path)
            } catch {
                if required {
                    printError(error.description)
                    throw ExitCode(Exit.usage)
                }
                if !warned {
                    printError("capture off: \(error.description); the run goes on without it")
                    warned = true
                }
                return nil
            }
        }

        /// Writes the report in every format asked for, under the run's claimed `names` (never over
        /// another run's file). When the JSON report cannot be written to --output, it is saved to
        /// the fallback place (`$TMPDIR` or /tmp) and its path printed. `saved` is false when any
        /// report did not reach --output.
        func write(_ report: Report, names: RunFileNames, started: Date) -> (paths: [String], saved: Bool) {
            let name = report.profile.name
            let stamp = RunFileNames.stamp(started)
            var paths: [String] = []
            // The JSON report is the source of truth (`report`, `diff` and `merge` start from it):
            // always written, and first.
            let formats = [.json] + ((try? formats()) ?? [.md]).filter { $0 != .json }
            var failed = false
            var jsonWritten = false
            do {
                try AtomicFile.ensureDirectory(output)
                for format in formats {
                    // Metrics get a stable name, replaced by each run: the textfile collector reads
                    // every *.prom in its folder, and only the latest run's metrics count.
                    let metrics = format == .prom
                    let path =
                        metrics
                        ? FileNames.path(in: output, parts: [name], suffix: ".prom")
                        : names.path(".\(format.fileExtension)")
                    try ReportRenderer.write(report, as: format, to: path, replace: metrics)
                    paths.append(path)
                    if format == .json { jsonWritten = true }
                }
            } catch {
                printError(error.description)
                failed = true
            }
            if let metricsDir {
                do {
                    try AtomicFile.ensureDirectory(metricsDir)
                    let path = FileNames.path(in: metricsDir, parts: ["nlsprobe_" + name], suffix: ".prom")
                    try ReportRenderer.write(report, as: .prom, to: path)
                    paths.append(path)
                } catch {
                    printError(error.description)
                    failed = true
                }
            }
            if !jsonWritten {
                let fallback = FileNames.path(
                    in: OutputFolder.fallbackDirectory, parts: ["nlsprobe", name, stamp, String(getpid())],
                    suffix: ".json")
                do {
                    try ReportRenderer.write(report, as: .json, to: fallback)
                    printError("the JSON report could not be written to \(output); it was saved to \(fallback) instead")
                    paths.append(fallback)
                } catch {
                    printError("\(error.description); the results of this run could not be saved anywhere")
                }
            }
            return (paths, !failed)
        }
    }
}

/// Ctrl-C, SIGTERM (systemd, Kubernetes, `timeout`) and SIGHUP: the first ends the run within a
/// second and keeps what it measured (unfinished checks are inconclusive, the reports are written,
/// the exit status is the usual verdict's); a second signal exits at once with 128 + its number.
final class InterruptHandler {
    /// The signals handled, with the words printed for them.
    static let signals: [(number: Int32, name: String)] = [
        (SIGINT, "interrupted"), (SIGTERM, "SIGTERM received"), (SIGHUP, "SIGHUP received"),
    ]

    private let sources: [DispatchSourceSignal]

    init(_ action: @escaping @Sendable () -> Void) {
        let count = Counter()
        var sources: [DispatchSourceSignal] = []
        for (number, name) in Self.signals {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                if count.increment() > 1 { exit(128 + number) }
                let again = number == SIGINT ? "Ctrl-C again" : "send it again"
                StandardStream.error.write("\nnlsprobe: \(name); finishing the reports (\(again) to quit at once)\n")
                action()
            }
            source.resume()
            sources.append(source)
        }
        self.sources = sources
    }

    func cancel() {
        for source in sources { source.cancel() }
        for (number, _) in Self.signals { signal(number, SIG_DFL) }
    }
}

/// A thread-safe counter.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    func increment() -> Int {
        lock.lock()
        defer { lock.unlock() }
        value += 1
        return value
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

/// `--proxy-credentials-file`: "user:password" on the first line, in a file only its owner can read.
enum ProxyCredentials {
    static func read(_ path: String) throws -> String {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw ValidationError("--proxy-credentials-file \(path): \(String(cString: strerror(errno)))")
        }
        guard info.st_mode & 0o077 == 0 else {
            throw ValidationError(
                "--proxy-credentials-file \(path) can be read by others (mode \(String(info.st_mode & 0o777, radix: 8))); run: chmod 600 \(path)"
            )
        }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
            let line = text.split(whereSeparator: \.isNewline).first.map({ $0.trimmingCharacters(in: .whitespaces) }),
            line.contains(":")
        else {
            throw ValidationError("--proxy-credentials-file \(path) must hold user:password on its first line")
        }
        return line
    }
}
