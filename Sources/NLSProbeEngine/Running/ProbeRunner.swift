import Foundation
import NLSProbeCore

/// Runs a profile: resolves names, expands the plan, runs every check with its attempts
/// concurrently on the engine (`CheckLoop`), and builds the report. `run(streaming:)` does all of
/// it at once: a check starts as soon as its own names have resolved.
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
        let outcome = await CheckLoop(engine: engine, profile: plan.profile, resolver: .shared)
            .run(plan.checks, stream: nil, progress: progress)
        // The records are handed over, not shared: `report` takes each out of the array in place
        // (an array still held here too would be copied whole first, every record with it).
        let records = outcome.records
        let startedAt = outcome.startedAt
        _ = consume outcome
        return await report(
            plan, records: consume records, startedAt: startedAt, started: started, wire: wire, beforeWire: beforeWire
        )
    }

    /// Plans and runs a profile at once: names resolve in parallel on `resolver` while checks run,
    /// and a check starts as soon as its own names have resolved (a name that does not answer
    /// costs only its own checks). The plan and the report are those `plan(_:options:)` and
    /// `run(_:)` give, in the same order; `progress` hears (finished, known so far).
    ///
    /// - Throws: `ProfileError.planTooLarge` when, with its names resolved, the plan holds more
    ///   than `options.maxChecks` checks: found as the names that make it so resolve; checks
    ///   already started finish first, and no further one starts.
    public func run(
        streaming profile: Profile, options: RunOptions, started: Date = Date(), resolver: ResolverPool = .shared,
        progress: (@Sendable (Int, Int) -> Void)? = nil
    ) async throws(ProfileError) -> (plan: RunPlan, report: Report) {
        let stream = PlanStream(profile, options: options)
        var outcome = await CheckLoop(engine: engine, profile: stream.profile, resolver: resolver)
            .run([], stream: stream, progress: progress)
        let ended = outcome.stream ?? stream
        if outcome.tooLarge {
            throw .planTooLarge(
                path: profile.path ?? profile.name, count: ended.count, limit: options.maxChecks, largest: nil)
        }
        let (plan, order) = ended.plan(checks: outcome.checks, orders: outcome.orders)
        var records: [CheckRecord?]
        var startedAt: [Double?]
        if order.elementsEqual(order.indices) {
            // Checks became ready in plan order (a plan without names, or with one): the records
            // are already where the report wants them, and move over whole.
            records = outcome.records
            startedAt = outcome.startedAt
            outcome.records = []
        } else {
            // Each record moves into plan order (taken, not copied: a record holds some twenty strings).
            records = []
            records.reserveCapacity(order.count)
            for index in order { records.append(outcome.records[index].take()) }
            startedAt = order.map { outcome.startedAt[$0] }
        }
        // Handed over, not shared (see `run(_:)`).
        let report = await report(
            plan, records: consume records, startedAt: startedAt, started: started, wire: nil, beforeWire: nil)
        return (plan, report)
    }

    /// The report of a plan from its records (in plan order), with the wire evidence when captured.
    private func report(
        _ plan: RunPlan, records: consuming [CheckRecord?], startedAt: [Double?], started: Date,
        wire: (@Sendable (String, Int, Int, Double) -> WireEvidence?)?, beforeWire: (@Sendable () -> Void)?
    ) async -> Report {
        // Consumed: `ordered` alone holds the records, so taking them out below copies none.
        var ordered = consume records
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
        // rather than vanish from the report. Each record is taken out of `ordered` (not copied)
        // and gets its source's subnet.
        var records: [CheckRecord] = []
        records.reserveCapacity(ordered.count)
        // Skipped checks name the address they would have come from (another node's): not used here.
        // Most checks in a row come from the same address: it is hashed once per run of them.
        var usedAddresses = Set<String>()
        var lastAddress: String?
        for index in ordered.indices {
            var record =
                ordered[index].take()
                ?? CheckRecords.unfinished(plan.checks[index], flow: plan.profile.flows[plan.checks[index].flowIndex])
            record.recordSourceSubnet(of: plan.profile)
            if record.verdict != .skipped, let address = record.evidence.localAddress ?? record.source.address,
                address != lastAddress
            {
                usedAddresses.insert(address)
                lastAddress = address
            }
            records.append(consume record)
        }
        ordered = []
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

    /// Every proxy setting the plan's checks use, in order ("direct", "direct, http://proxy:3128").
    static func proxySummary(_ plan: RunPlan) -> String {
        var seen: [String] = []
        for check in plan.checks where !seen.contains(check.settings.proxy.description) {
            seen.append(check.settings.proxy.description)
        }
        return seen.isEmpty ? plan.profile.proxySummary : seen.joined(separator: ", ")
    }
}
