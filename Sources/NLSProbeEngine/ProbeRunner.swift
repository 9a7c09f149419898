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
    /// `--max-checks`: the most checks a plan may expand to.
    public var maxChecks = PlanLimits.defaultMaxChecks

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
    /// Throws `ProfileError.planTooLarge` when, with its names resolved (one name may give many
    /// addresses), the plan holds more than `options.maxChecks` checks: counted before it is built.
    public static func plan(_ profile: Profile, options: RunOptions) async throws(ProfileError) -> RunPlan {
        let effective = profile.applying(options.override)
        let local = options.localAddresses ?? LocalAddresses.current()
        // With --path direct,proxy every flow is planned direct, then as configured (through the proxy).
        let variants =
            options.comparePaths ? [effective.applying(SettingsOverride(proxy: .direct)), effective] : [effective]
        let planners = variants.map { Planner(profile: $0, localAddresses: local, selection: options.selection) }
        let dnsTimeout = effective.flows.map(\.settings.dnsTimeout).max() ?? effective.defaults.dnsTimeout
        var hosts: [String] = []
        var seenHosts = Set<String>()
        for host in planners.flatMap({ $0.hostsToResolve() }) where seenHosts.insert(host).inserted {
            hosts.append(host)
        }
        let resolutions = await Resolver.resolveAll(hosts, timeout: dnsTimeout)
        let count = planners.reduce(0) { PlanLimits.sum($0, $1.checkCount(resolutions: resolutions)) }
        guard count <= options.maxChecks else {
            throw .planTooLarge(
                path: profile.path ?? profile.name, count: count, limit: options.maxChecks, largest: nil)
        }
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
        // One loop drives every check: it starts attempts on the engine, which leaves each result in
        // an inbox the loop takes in batches; the loop decides on retries and builds the records. An
        // attempt in flight costs a small job, not a suspended task: 20,000 checks at concurrency
        // 2,000 stay small. A little more than the engine's concurrency is kept submitted, so it never
        // waits for work. Connected sockets come back open with their results (closed here, off the
        // engine threads), so the window also stays within the engine's socket budget.
        let window = min(engine.limits.global + max(64, engine.limits.global / 8), engine.socketBudget)
        let results = ResultInbox()
        // Results land in plan order; when each check started is kept beside them for the wire evidence.
        var ordered = [CheckRecord?](repeating: nil, count: total)
        var startedAt = [Double?](repeating: nil, count: total)
        var outcomes: [Int: [AttemptOutcome]] = [:]
        var next = 0
        var inFlight = 0
        var done = 0
        func settle(_ index: Int, _ record: CheckRecord, _ started: Double?) {
            ordered[index] = record
            startedAt[index] = started
            done += 1
            progress?(done, total)
        }
        func launch(_ index: Int) {
            inFlight += 1
            engine.submit(plan.checks[index]) { results.put(index, $0) }
        }
        func refill() {
            while inFlight < window && next < total {
                let index = next
                next += 1
                let check = plan.checks[index]
                if let record = Self.settledWithoutNetwork(check, flow: plan.profile.flows[check.flowIndex]) {
                    settle(index, record, nil)
                } else {
                    launch(index)
                }
            }
        }
        refill()
        if inFlight == 0 { results.finish() }
        for await batch in results.batches {
            for (index, raw) in batch {
                inFlight -= 1
                let check = plan.checks[index]
                let outcome = engine.settle(raw, check)
                var tried = outcomes.removeValue(forKey: index) ?? []
                tried.append(outcome)
                let verdict = Verdict.judge(expect: check.expect, observed: outcome.observed)
                if tried.count < check.settings.attempts && verdict != .pass && outcome.observed != .localError {
                    outcomes[index] = tried
                    launch(index)
                } else {
                    let record = Self.record(check, flow: plan.profile.flows[check.flowIndex], outcomes: tried)
                    settle(index, record, outcome.startedAt)
                }
                refill()
            }
            if inFlight == 0 { results.finish() }
        }
        beforeWire?()
        if let wire {
            for index in ordered.indices {
                guard let record = ordered[index], record.proxy == nil, let address = record.destination.address,
                    let port = record.evidence.localPort,
                    let since = startedAt[index], let evidence = wire(address, record.flow.port, port, since - 0.05)
                else { continue }
                ordered[index] = Self.applyWire(evidence, to: record)
            }
        }
        // Every check settles before the loop ends; were one missing, it would show as not finished
        // rather than vanish from the report.
        let records = ordered.enumerated().map { index, record in
            record ?? Self.unfinished(plan.checks[index], flow: plan.profile.flows[plan.checks[index].flowIndex])
        }
        ordered = []
        // Skipped checks name the address they would have come from (another node's): not used here.
        let usedAddresses = Set(
            records.filter { $0.verdict != .skipped }.compactMap { $0.evidence.localAddress ?? $0.source.address })
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
            checks: records
        ).recordingSourceSubnets(of: plan.profile)
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

    /// The record of a check before any attempt: what the plan knows.
    static func baseRecord(_ check: PlannedCheck, flow: Flow) -> CheckRecord {
        let checkFlow = CheckFlow(
            index: flow.index, port: check.port, protocol: check.proto, direction: flow.direction,
            services: flow.services, from: flow.from, to: check.destinationGroup)
        return CheckRecord(
            id: check.id, flow: checkFlow, source: SourceRef(group: check.sourceGroup, address: check.sourceAddress),
            destination: DestinationRef(group: check.destinationGroup, host: check.host, address: check.address),
            proxy: check.settings.proxy.isProxied ? check.settings.proxy.description : nil, expect: check.expect,
            observed: nil, verdict: .skipped, reason: "", attempts: [],
            timingsMs: Timings(dns: check.dnsMilliseconds, total: Self.total(dns: check.dnsMilliseconds, attempts: 0)),
            evidence: Evidence(resolvedAddresses: check.resolvedAddresses))
    }

    /// The record of a check that needs no attempt (skipped, or its name did not resolve); nil otherwise.
    static func settledWithoutNetwork(_ check: PlannedCheck, flow: Flow) -> CheckRecord? {
        if let skip = check.skipReason {
            var record = baseRecord(check, flow: flow)
            record.reason = skip
            return record
        }
        if let failure = check.dnsFailure {
            var record = baseRecord(check, flow: flow)
            let elapsed = check.dnsMilliseconds ?? 0
            record.observed = .dnsFailed
            record.verdict = Verdict.judge(expect: check.expect, observed: .dnsFailed)
            record.reason = failure
            record.attempts = [AttemptRecord(observed: .dnsFailed, reason: failure, elapsedMs: elapsed)]
            // The resolver's time is the whole check: counted once, as `dns` and as `total`.
            record.timingsMs.total = Self.total(dns: check.dnsMilliseconds, attempts: 0)
            return record
        }
        return nil
    }

    /// The record of a check the run lost track of: inconclusive, and saying so.
    static func unfinished(_ check: PlannedCheck, flow: Flow) -> CheckRecord {
        var record = baseRecord(check, flow: flow)
        record.observed = .localError
        record.verdict = .inconclusive
        record.reason = "the check did not finish (internal error: no result came back from the engine)"
        return record
    }

    /// The record of a check from its attempts, in order; the last one decides.
    static func record(_ check: PlannedCheck, flow: Flow, outcomes: [AttemptOutcome]) -> CheckRecord {
        var record = baseRecord(check, flow: flow)
        guard let decisive = outcomes.last else { return record }
        record.observed = decisive.observed
        record.verdict = Verdict.judge(expect: check.expect, observed: decisive.observed)
        record.reason = Self.reason(outcomes)
        record.attempts = outcomes.map {
            AttemptRecord(observed: $0.observed, reason: $0.reason, elapsedMs: $0.elapsedMs)
        }
        let elapsed = outcomes.reduce(0) { $0 + $1.elapsedMs }
        record.timingsMs = Timings(
            dns: check.dnsMilliseconds, connect: decisive.connectMs, tls: decisive.tlsMs, request: decisive.requestMs,
            total: Self.total(dns: check.dnsMilliseconds, attempts: elapsed))
        var evidence = decisive.evidence
        evidence.resolvedAddresses = check.resolvedAddresses
        record.evidence = evidence
        return record
    }

    /// A check's `total` in milliseconds: name resolution (shared by the checks of a host, counted
    /// in each) plus every attempt, to a tenth of a millisecond, so it is never less than `dns`.
    static func total(dns: Double?, attempts: Double) -> Double {
        let sum = (dns ?? 0) + attempts
        return sum.isFinite ? (sum * 10).rounded() / 10 : 0
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

/// Where the engine leaves finished attempts for the runner: results pile up behind a lock and the
/// runner takes them in batches. Only the first result of a batch signals the runner, so the engine
/// thread does not wake it once per attempt.
final class ResultInbox: Sendable {
    private let waiting = Mutex<[(Int, RawAttempt)]>([])
    private let signal: AsyncStream<Void>.Continuation
    private let signals: AsyncStream<Void>

    init() {
        (signals, signal) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Leaves the result of check `index`'s attempt (called on an engine thread).
    func put(_ index: Int, _ raw: RawAttempt) {
        let first = waiting.withLock { results in
            results.append((index, raw))
            return results.count == 1
        }
        if first { signal.yield() }
    }

    /// Ends `batches` once the waiting results are taken.
    func finish() { signal.finish() }

    /// The waiting results, a batch per signal; empty batches are skipped.
    var batches: AsyncCompactMapSequence<AsyncStream<Void>, [(Int, RawAttempt)]> {
        signals.compactMap { _ in
            let batch = self.take()
            return batch.isEmpty ? nil : batch
        }
    }

    private func take() -> [(Int, RawAttempt)] {
        waiting.withLock { results in
            let batch = results
            results = []
            return batch
        }
    }
}

enum MarkdownlessFormat {
    static func ms(_ value: Double) -> String {
        if value < 0.1 { return "under 0.1 ms" }
        return value == value.rounded() ? "\(Int(value)) ms" : "\(value) ms"
    }
}
