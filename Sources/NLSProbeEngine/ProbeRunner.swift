import Foundation
import NLSProbeCore
import Synchronization

/// What `run` and `plan` take from the command line.
public struct RunOptions: Sendable {
    /// Concurrency caps.
    public var limits: ConcurrencyLimits
    /// `--source` and `--bind`.
    public var selection: SourceSelection
    /// `--connect-timeout`, `--attempts`, `--proxy`, `--no-proxy`.
    public var override: SettingsOverride
    /// This host's addresses; nil discovers them from the interfaces.
    public var localAddresses: [IPAddress]?
    /// `--path direct,proxy`: every check twice, direct and through the proxy.
    public var comparePaths = false

    /// Creates options.
    public init(
        limits: ConcurrencyLimits = ConcurrencyLimits(), selection: SourceSelection = SourceSelection(),
        override: SettingsOverride = SettingsOverride(), localAddresses: [IPAddress]? = nil
    ) {
        self.limits = limits
        self.selection = selection
        self.override = override
        self.localAddresses = localAddresses
    }
}

/// A profile expanded against this host: what would run, from where, and what would be skipped.
public struct RunPlan: Sendable {
    /// The profile with command-line overrides applied.
    public var profile: Profile
    /// Every check in plan order.
    public var checks: [PlannedCheck]
    /// The source groups this host runs.
    public var localSources: [String]
    /// This host's interface addresses.
    public var localAddresses: [IPAddress]
}

/// Runs a profile: resolves names, expands the plan, runs every check with its attempts
/// concurrently on the engine, and builds the report.
public struct ProbeRunner: Sendable {
    /// The engine checks run on.
    public let engine: ProbeEngine
    /// The version written into reports.
    public let toolVersion: String

    /// Creates a runner over an engine.
    public init(engine: ProbeEngine, toolVersion: String) {
        self.engine = engine
        self.toolVersion = toolVersion
    }

    /// Expands a profile into checks for this host; resolves names but sends nothing to the destinations.
    public static func plan(_ profile: Profile, options: RunOptions) async -> RunPlan {
        let effective = profile.applying(options.override)
        let local = options.localAddresses ?? LocalAddresses.current()
        // With --path direct,proxy every flow is planned direct, then as configured (through the proxy).
        let variants =
            options.comparePaths ? [effective.applying(SettingsOverride(proxy: .direct)), effective] : [effective]
        let planners = variants.map { Planner(profile: $0, localAddresses: local, selection: options.selection) }
        let dnsTimeout = effective.flows.map(\.settings.dnsTimeout).max() ?? effective.defaults.dnsTimeout
        var hosts: [String] = []
        for host in planners.flatMap({ $0.hostsToResolve() }) where !hosts.contains(host) { hosts.append(host) }
        let resolutions = await Resolver.resolveAll(hosts, timeout: dnsTimeout)
        var checks: [PlannedCheck] = []
        for planner in planners { checks += planner.checks(resolutions: resolutions) }
        if options.comparePaths {
            // Direct and proxied checks of a flow side by side.
            checks = checks.enumerated().sorted {
                ($0.element.flowIndex, $0.offset) < ($1.element.flowIndex, $1.offset)
            }.map(\.element)
            var seen = Set<String>()
            checks = checks.filter { seen.insert($0.id).inserted }
        }
        return RunPlan(
            profile: effective, checks: checks,
            localSources: planners[0].localSourceGroups(resolutions: resolutions), localAddresses: local)
    }

    /// Runs a plan; `progress` is called with (finished, total) as checks end. `wire` is consulted
    /// once every check has finished (the capture is stopped by then): it returns what crossed the
    /// wire for a check, given its remote address and port, local port and start time.
    public func run(
        _ plan: RunPlan, started: Date = Date(), progress: (@Sendable (Int, Int) -> Void)? = nil,
        wire: (@Sendable (_ remote: String, _ remotePort: Int, _ localPort: Int, _ since: Double) -> WireEvidence?)? =
            nil,
        beforeWire: (@Sendable () -> Void)? = nil
    ) async -> Report {
        let total = plan.checks.count
        let finished = Counter()
        // A sliding window of tasks, a little wider than the engine's concurrency: enough to keep
        // it busy, without 20,000 suspended tasks holding memory.
        let window = max(64, engine.limits.global * 2)
        var executed = await withTaskGroup(of: (Int, CheckRecord, Double?).self) { group in
            var next = 0
            func submit() {
                guard next < total else { return }
                let index = next
                let check = plan.checks[index]
                next += 1
                group.addTask {
                    let (record, startedAt) = await execute(check, flow: plan.profile.flows[check.flowIndex])
                    progress?(finished.increment(), total)
                    return (index, record, startedAt)
                }
            }
            for _ in 0..<min(window, total) { submit() }
            var ordered = [(CheckRecord, Double?)?](repeating: nil, count: total)
            for await (index, record, startedAt) in group {
                ordered[index] = (record, startedAt)
                submit()
            }
            return ordered.compactMap { $0 }
        }
        beforeWire?()
        if let wire {
            for index in executed.indices {
                let (record, startedAt) = executed[index]
                guard record.proxy == nil, let address = record.destination.address,
                    let port = record.evidence.localPort,
                    let since = startedAt, let evidence = wire(address, record.flow.port, port, since - 0.05)
                else { continue }
                executed[index].0 = Self.applyWire(evidence, to: record)
            }
        }
        let records = executed.map(\.0)
        let usedAddresses = Set(records.compactMap { $0.evidence.localAddress ?? $0.source.address })
        let run = RunInfo(
            started: Timestamps.iso(started), finished: Timestamps.iso(Date()), host: ProcessInfo.processInfo.hostName,
            localSources: plan.localSources, localAddresses: usedAddresses.sorted(), proxy: Self.proxySummary(plan),
            interrupted: engine.isInterrupted)
        let profile = ProfileInfo(
            name: plan.profile.name, title: plan.profile.title, reference: plan.profile.reference,
            digest: plan.profile.digest)
        return Report(
            tool: ToolInfo(version: toolVersion), profile: profile, run: run,
            flows: plan.profile.flows.map(FlowInfo.init),
            checks: records)
    }

    /// The wire has the last word: an ICMP error seen on the wire makes a timeout `unreachable`, and
    /// names who sent it; a reset after the ClientHello or an injected reset says so in the reason.
    static func applyWire(_ wire: WireEvidence, to record: CheckRecord) -> CheckRecord {
        var record = record
        record.evidence.wire = wire
        guard let observed = record.observed else { return record }
        switch (observed, wire.answer) {
        case (.filtered, "icmp"), (.unreachable, "icmp"):
            record.observed = .unreachable
            record.reason =
                "ICMP \(wire.icmp ?? "error") from \(wire.answerFrom ?? "?") in answer to the SYN"
                + (observed == .filtered ? " (the socket itself only saw a timeout)" : "")
        case (.filtered, "rst"):
            record.observed = .refused
            record.reason =
                "RST from \(wire.answerFrom ?? "?") in answer to the SYN (the socket itself only saw a timeout)"
        default:
            break
        }
        if record.observed == .refused && wire.injectedReset, let resetTtl = wire.resetTtl, let pathTtl = wire.pathTtl {
            record.reason +=
                "; the reset's TTL \(resetTtl) differs from the path's \(pathTtl): sent by a firewall or middlebox, not the server"
        }
        if record.observed == .tlsFailed && wire.resetAfterClientHello {
            let after = wire.clientHelloAnsweredAfterMs.map { " \(MarkdownlessFormat.ms($0)) after it" } ?? ""
            record.reason =
                "TCP connected and the ClientHello left; a reset came back\(after)"
                + (wire.injectedReset ? ", injected by a middlebox (its TTL differs from the path's)" : "")
        }
        if let observed = record.observed {
            record.verdict = Verdict.judge(expect: record.expect, observed: observed)
        }
        return record
    }

    /// Every proxy setting the plan's checks use, in order ("direct", "direct, http://proxy:3128").
    static func proxySummary(_ plan: RunPlan) -> String {
        var seen: [String] = []
        for check in plan.checks where !seen.contains(check.settings.proxy.description) {
            seen.append(check.settings.proxy.description)
        }
        return seen.isEmpty ? plan.profile.proxySummary : seen.joined(separator: ", ")
    }

    /// Runs one check: attempts until one meets the expectation, or they run out.
    func execute(_ check: PlannedCheck, flow: Flow) async -> (CheckRecord, Double?) {
        let checkFlow = CheckFlow(
            index: flow.index, port: check.port, protocol: check.proto, direction: flow.direction,
            services: flow.services, from: flow.from, to: check.destinationGroup)
        var record = CheckRecord(
            id: check.id, flow: checkFlow, source: SourceRef(group: check.sourceGroup, address: check.sourceAddress),
            destination: DestinationRef(group: check.destinationGroup, host: check.host, address: check.address),
            proxy: check.settings.proxy.isProxied ? check.settings.proxy.description : nil, expect: check.expect,
            observed: nil, verdict: .skipped, reason: "", attempts: [],
            timingsMs: Timings(dns: check.dnsMilliseconds, total: 0),
            evidence: Evidence(resolvedAddresses: check.resolvedAddresses))
        if let skip = check.skipReason {
            record.reason = skip
            return (record, nil)
        }
        if let failure = check.dnsFailure {
            let elapsed = check.dnsMilliseconds ?? 0
            record.observed = .dnsFailed
            record.verdict = Verdict.judge(expect: check.expect, observed: .dnsFailed)
            record.reason = failure
            record.attempts = [AttemptRecord(observed: .dnsFailed, reason: failure, elapsedMs: elapsed)]
            record.timingsMs.total = elapsed
            return (record, nil)
        }
        var outcomes: [AttemptOutcome] = []
        for _ in 0..<check.settings.attempts {
            let outcome = await engine.attempt(check)
            outcomes.append(outcome)
            let verdict = Verdict.judge(expect: check.expect, observed: outcome.observed)
            if verdict == .pass || outcome.observed == .localError { break }
        }
        guard let decisive = outcomes.last else { return (record, nil) }
        record.observed = decisive.observed
        record.verdict = Verdict.judge(expect: check.expect, observed: decisive.observed)
        record.reason = Self.reason(outcomes)
        record.attempts = outcomes.map {
            AttemptRecord(observed: $0.observed, reason: $0.reason, elapsedMs: $0.elapsedMs)
        }
        let elapsed = outcomes.reduce(0) { $0 + $1.elapsedMs }
        record.timingsMs = Timings(
            dns: check.dnsMilliseconds, connect: decisive.connectMs, tls: decisive.tlsMs, request: decisive.requestMs,
            total: (elapsed * 10).rounded() / 10)
        var evidence = decisive.evidence
        evidence.resolvedAddresses = check.resolvedAddresses
        record.evidence = evidence
        return (record, decisive.startedAt)
    }

    /// The check's reason: the decisive attempt's, with what earlier attempts saw when it matters.
    static func reason(_ outcomes: [AttemptOutcome]) -> String {
        guard let last = outcomes.last else { return "" }
        if outcomes.count == 1 { return last.reason }
        if outcomes.allSatisfy({ $0.observed == last.observed }) {
            return "\(last.reason) (all \(outcomes.count) attempts)"
        }
        let earlier = outcomes.dropLast().enumerated().map {
            "attempt \($0.offset + 1): \($0.element.observed.rawValue)"
        }
        return "\(last.reason) (attempt \(outcomes.count) of \(outcomes.count); \(earlier.joined(separator: ", ")))"
    }
}

/// A thread-safe counter.
final class Counter: Sendable {
    private let value = Mutex(0)

    /// Adds one and returns the new value.
    func increment() -> Int {
        value.withLock { count in
            count += 1
            return count
        }
    }
}

enum MarkdownlessFormat {
    static func ms(_ value: Double) -> String {
        if value < 0.1 { return "under 0.1 ms" }
        return value == value.rounded() ? "\(Int(value)) ms" : "\(value) ms"
    }
}
