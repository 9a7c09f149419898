import Foundation
import NLSLicensing
import NLSProbeCore
import NLSProbeEngine
import NLSReporting

/// A whole run, as a library: loads the profiles (and a client's token), checks everything that
/// can be checked before a packet is sent, then runs each profile on the engine, captures its
/// handshakes when asked, and writes its reports.
///
/// ```swift
/// var messages: [RunMessage] = []
/// let session = try RunSession(RunConfiguration(profiles: ["cls"]), messages: &messages)
/// let results = try await session.run(events: RunEvents())
/// session.shutdown()
/// ```
///
/// Everything that could refuse the run (a setting, a profile, a token, an output folder, the
/// engine) is found by the initialiser, before anything is sent.
public final class RunSession: Sendable {
    /// The configuration the session was made with.
    public let configuration: RunConfiguration
    /// The profiles to run, in order, with a client token's destinations filled in.
    public let profiles: [Profile]
    /// The engine's options, from ``RunConfiguration/settings``.
    public let options: RunOptions
    /// Warnings every report of this run carries (a token about to expire).
    let runWarnings: [String]
    let engine: ProbeEngine

    /// Prepares a run: what should be shown to the person is added to `messages` (also when the
    /// run is refused).
    ///
    /// - Throws: ``RunError`` when a setting, a profile, the token, the proxy credentials, an
    ///   output folder or the engine cannot be used.
    public init(_ configuration: RunConfiguration, messages: inout [RunMessage]) throws(RunError) {
        self.configuration = configuration
        let settings = configuration.settings
        var options = try settings.options(messages: &messages)
        options.limits = configuration.limits
        var loaded = try ProfileCatalog.load(configuration.profiles, maxChecks: options.maxChecks)
        var warnings: [String] = []
        if let tokenPath = try Self.tokenPath(configuration) {
            let token: ClientToken
            do {
                token = try ClientToken.load(path: tokenPath)
            } catch {
                throw .token(path: tokenPath, error)
            }
            warnings = token.validityWarnings().map { "\(tokenPath): \($0)" }
            messages += warnings.map { RunMessage(.warning, $0) }
            let name = (tokenPath as NSString).lastPathComponent
            loaded =
                loaded.isEmpty
                ? [TokenProfile.profile(from: token, source: name)]
                : loaded.map { TokenProfile.fill($0, with: token) }
        }
        for profile in loaded {
            try settings.checkSourceGroup(in: profile)
            try RunPlanning.checkSize(of: profile, options: options)
            messages += profile.placeholderWarnings.map { RunMessage(.warning, $0) }
        }
        let credentials = try configuration.proxyCredentialsFile.map(ProxyCredentialsFile.read)
        if options.comparePaths
            && !loaded.contains(where: { profile in
                profile.applying(options.override).flows.contains { $0.settings.proxy.isProxied }
            })
        {
            throw .invalidSetting(
                "--path direct,proxy needs a proxy: set one in the profile, with --proxy or --gridd-conf")
        }
        if !configuration.writesReports && configuration.capture != nil {
            throw .invalidSetting("--capture writes its pcap file beside the reports: give an --output folder")
        }
        // The output folders must take the reports before anything is sent: a run whose results
        // cannot be saved is not started.
        let folders = [configuration.output] + (configuration.metricsDirectory.map { [$0] } ?? [])
        for folder in configuration.writesReports ? folders : [] {
            do {
                try OutputFolder.prepare(folder)
            } catch {
                throw .outputFolder(error.description)
            }
            for name in OutputFolder.removeStaleTemporaryFiles(in: folder) {
                messages.append(
                    RunMessage(
                        .note, "removed \(folder)/\(name), left behind by an nlsprobe that was killed mid-write"))
            }
        }
        // libcurl is loaded before anything is sent when a check needs it (tls, http, https, or any
        // check through a proxy), so that a host without it fails here; a run of direct tcp checks
        // starts without it.
        let needsLibcurl =
            options.comparePaths
            || loaded.contains { profile in
                profile.applying(options.override).flows.contains { $0.proto != .tcp || $0.settings.proxy.isProxied }
            }
        do {
            engine = try ProbeEngine(
                limits: options.limits, userAgent: "nlsprobe/\(configuration.toolVersion)",
                logger: configuration.logger,
                proxyCredentials: credentials, bindBeforeConnect: configuration.capture != nil,
                loadLibcurl: needsLibcurl)
        } catch {
            throw .engine(error)
        }
        self.profiles = loaded
        self.options = options
        self.runWarnings = warnings
    }

    /// The token to read: the configured one, or with a gridd.conf and no profile, the client's own.
    static func tokenPath(_ configuration: RunConfiguration) throws(RunError) -> String? {
        if let token = configuration.token { return token }
        guard configuration.profiles.isEmpty, let griddConf = configuration.settings.griddConf else { return nil }
        return try ClientTokenLocator.token(forClientConfiguredBy: griddConf)
    }

    /// Ends the run within a second: checks in flight end as inconclusive, the reports are written,
    /// later profiles are not started.
    public func interrupt() { engine.interrupt() }

    /// True once ``interrupt()`` was called.
    public var isInterrupted: Bool { engine.isInterrupted }

    /// Stops the engine's threads; call once the session is no longer needed.
    public func shutdown() { engine.shutdown() }

    /// Runs every profile in turn and writes its reports; `events` hears messages, progress and
    /// each profile's result as it finishes.
    ///
    /// - Throws: ``RunError`` when a plan is too large once its names are resolved, the run's file
    ///   names cannot be claimed, or a required capture cannot start.
    public func run(events: RunEvents = RunEvents()) async throws(RunError) -> [RunResult] {
        let runner = ProbeRunner(engine: engine, toolVersion: configuration.toolVersion)
        let writer = RunReportWriter(
            output: configuration.output, formats: configuration.formats,
            metricsDirectory: configuration.metricsDirectory)
        var results: [RunResult] = []
        var captureWarned = false
        for profile in profiles {
            if engine.isInterrupted { break }
            let started = Date()
            // A capture filters on the plan's addresses, so it needs every name first; otherwise
            // names resolve while the checks run, each check starting once its own names have.
            let plan = configuration.capture == nil ? nil : try await RunPlanning.plan(profile, options: options)
            guard configuration.writesReports else {
                // No files (serve keeps its reports in memory; a capture is refused without files).
                var report = try await RunPlanning.run(
                    profile, runner: runner, options: options, started: started, progress: events.progress)
                annotate(&report, profile: profile)
                let result = RunResult(report: report, files: [], saved: true)
                events.finished(result)
                results.append(result)
                continue
            }
            // The run's file names, claimed before anything is written: no other run, started in
            // the same millisecond into the same folder, writes its report or capture there.
            let names: RunFileNames
            do {
                names = try RunFileNames.claim(folder: configuration.output, profile: profile.name, started: started)
            } catch {
                throw .fileNames(error.description)
            }
            defer { names.release() }
            var report: Report
            if let plan {
                let capture = try startCapture(plan, path: names.path(".pcap"), warned: &captureWarned, events: events)
                report = await runner.run(
                    plan, started: started, progress: events.progress, wire: capture?.wire, beforeWire: capture?.stop)
                report.run.capture = capture?.packets.path
            } else {
                report = try await RunPlanning.run(
                    profile, runner: runner, options: options, started: started, progress: events.progress)
            }
            annotate(&report, profile: profile)
            let written = writer.write(report, names: names, started: started, messages: events.message)
            let result = RunResult(report: report, files: written.paths, saved: written.saved)
            events.finished(result)
            results.append(result)
        }
        return results
    }

    /// Adds what the run knows beyond the engine: its warnings and the clock-skew limit.
    private func annotate(_ report: inout Report, profile: Profile) {
        let warnings = runWarnings + profile.placeholderWarnings
        report.run.warnings = warnings.isEmpty ? nil : warnings
        report.run.clockSkewLimitS = configuration.clockSkewLimit
    }

    /// Starts the run's capture into `path` (the run's claimed name), or says once why there is none.
    private func startCapture(_ plan: RunPlan, path: String, warned: inout Bool, events: RunEvents) throws(RunError)
        -> RunCapture?
    {
        guard let request = configuration.capture else { return nil }
        do {
            return try RunCapture(plan: plan, interface: request.interface, path: path)
        } catch {
            if request.required { throw .capture(error) }
            if !warned {
                events.message(RunMessage(.error, "capture off: \(error.description); the run goes on without it"))
                warned = true
            }
            return nil
        }
    }
}
