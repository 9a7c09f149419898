import Foundation
import NLSProbeCore

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
    /// The same as `RunPlanner.plan(_:options:)`.
    public static func plan(_ profile: Profile, options: RunOptions) async throws(ProfileError) -> RunPlan {
        try await RunPlanner.plan(profile, options: options)
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
                if let record = CheckRecords.settledWithoutNetwork(check, flow: plan.profile.flows[check.flowIndex]) {
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
                    let record = CheckRecords.record(check, flow: plan.profile.flows[check.flowIndex], outcomes: tried)
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
                ordered[index] = WireEvidenceClassifier.apply(evidence, to: record)
            }
        }
        // Where failed checks stop (`trace: on-failure`, `--trace`): after the capture stopped.
        ordered = await PathTracing.annotate(ordered, checks: plan.checks) { [engine] in engine.isInterrupted }
        // Every check settles before the loop ends; were one missing, it would show as not finished
        // rather than vanish from the report.
        let records = ordered.enumerated().map { index, record in
            record
                ?? CheckRecords.unfinished(plan.checks[index], flow: plan.profile.flows[plan.checks[index].flowIndex])
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

    /// Every proxy setting the plan's checks use, in order ("direct", "direct, http://proxy:3128").
    static func proxySummary(_ plan: RunPlan) -> String {
        var seen: [String] = []
        for check in plan.checks where !seen.contains(check.settings.proxy.description) {
            seen.append(check.settings.proxy.description)
        }
        return seen.isEmpty ? plan.profile.proxySummary : seen.joined(separator: ", ")
    }
}
