import NLSProbeCore

/// The runner's loop: starts checks on the engine as they become ready, decides on retries and
/// builds their records.
///
/// One loop drives every check: it starts attempts on the engine, which leaves each result in an
/// inbox the loop takes in batches. An attempt in flight costs a small job, not a suspended task:
/// 20,000 checks at concurrency 2,000 stay small. A little more than the engine holds in flight is
/// kept submitted, so it never waits for work. Connected sockets come back open with their results
/// (closed here, off the engine threads), so the window also stays within the engine's socket
/// budget. With a `PlanStream`, names resolve on the `ResolverPool` meanwhile and their answers
/// land in the same inbox: a check starts as soon as its own names have resolved.
struct CheckLoop {
    /// What the loop ran: the checks in the order they became ready, their records and starts.
    struct Outcome {
        var checks: [PlannedCheck] = []
        /// Where each check stands in the plan (streamed plans only).
        var orders: [PlanStream.Order] = []
        var records: [CheckRecord?] = []
        /// When each check's decisive attempt started, for the wire evidence.
        var startedAt: [Double?] = []
        /// The stream, once it ended (all its names answered, or the run stopped).
        var stream: PlanStream?
        /// The stream handed out more checks than `--max-checks`: the rest were not started.
        var tooLarge = false
    }

    let engine: ProbeEngine
    let profile: Profile
    let resolver: ResolverPool

    /// Runs `checks`, and those of `stream` as its names resolve; `progress` hears (finished, known).
    func run(_ checks: [PlannedCheck], stream: PlanStream?, progress: (@Sendable (Int, Int) -> Void)?) async
        -> Outcome
    {
        let window = min(engine.inFlightCeiling + max(64, engine.limits.global / 8), engine.socketBudget)
        let inbox = ResultInbox()
        var outcome = Outcome(
            checks: checks, records: [CheckRecord?](repeating: nil, count: checks.count),
            startedAt: [Double?](repeating: nil, count: checks.count), stream: stream)
        var tried: [Int: [AttemptOutcome]] = [:]
        var next = 0
        var inFlight = 0
        var done = 0
        var namesPending = 0

        func add(_ ready: [PlanStream.Ready]) {
            // A large batch (every check of a name, or of a plan with no names) grows the arrays
            // once, not by doubling through copies of every record slot.
            let wanted = outcome.checks.count + ready.count
            if wanted > outcome.records.capacity {
                let capacity = max(wanted, 2 * outcome.records.capacity)
                outcome.checks.reserveCapacity(capacity)
                outcome.orders.reserveCapacity(capacity)
                outcome.records.reserveCapacity(capacity)
                outcome.startedAt.reserveCapacity(capacity)
            }
            for item in ready {
                outcome.checks.append(item.check)
                outcome.orders.append(item.order)
                outcome.records.append(nil)
                outcome.startedAt.append(nil)
            }
        }
        func settle(_ index: Int, _ record: CheckRecord, _ started: Double?) {
            outcome.records[index] = record
            outcome.startedAt[index] = started
            done += 1
            progress?(done, outcome.checks.count)
        }
        func launch(_ index: Int) {
            inFlight += 1
            engine.submit(outcome.checks[index]) { inbox.put(index, $0) }
        }
        func refill() {
            while inFlight < window && next < outcome.checks.count {
                let index = next
                next += 1
                if CheckRecords.needsNetwork(outcome.checks[index]) {
                    launch(index)
                } else if let record = CheckRecords.settledWithoutNetwork(
                    outcome.checks[index], flow: profile.flows[outcome.checks[index].flowIndex])
                {
                    settle(index, record, nil)
                }
            }
        }
        /// Nothing left to wait for: no attempt in flight, no check unstarted, no name unanswered
        /// (once the run stopped or was interrupted, names still out are not waited for).
        func finished() -> Bool {
            guard inFlight == 0 else { return false }
            if outcome.tooLarge { return true }
            return next == outcome.checks.count && (namesPending == 0 || engine.isInterrupted)
        }

        if namesPendingAtStart(stream) {
            // An interruption while only names are out must end the wait for them.
            engine.whenInterrupted { inbox.wake() }
        }
        if var started = outcome.stream {
            add(started.start())
            outcome.stream = started
            namesPending = started.names.count
            for name in started.names {
                resolver.resolve(name, timeout: started.dnsTimeout) { inbox.resolved(name, $0) }
            }
        }
        refill()
        if finished() { inbox.finish() }
        for await batch in inbox.batches {
            for item in batch {
                switch item {
                case .wake:
                    break
                case .name(let name, let resolution):
                    namesPending -= 1
                    guard !outcome.tooLarge, var current = outcome.stream else { break }
                    let ready = current.resolved(name, resolution)
                    outcome.stream = current
                    if current.isTooLarge { outcome.tooLarge = true } else { add(ready) }
                case .attempt(let index, let raw):
                    inFlight -= 1
                    let attempt = engine.settle(raw, outcome.checks[index])
                    let allowed = outcome.checks[index].settings.attempts
                    // Earlier attempts are kept only for checks allowed more than one.
                    var attempts = allowed > 1 ? tried.removeValue(forKey: index) ?? [] : []
                    attempts.append(attempt)
                    if attempts.count < allowed && attempt.observed != .localError
                        && Verdict.judge(expect: outcome.checks[index].expect, observed: attempt.observed) != .pass
                    {
                        tried[index] = attempts
                        launch(index)
                    } else {
                        let record = CheckRecords.record(
                            outcome.checks[index], flow: profile.flows[outcome.checks[index].flowIndex],
                            outcomes: attempts)
                        settle(index, record, attempt.startedAt)
                    }
                }
                if !outcome.tooLarge { refill() }
            }
            if finished() { inbox.finish() }
        }
        if engine.isInterrupted && namesPending > 0, var current = outcome.stream, !outcome.tooLarge {
            // Interrupted while names were still out: their checks are in the report, inconclusive.
            for name in current.names where current.resolutions[name] == nil {
                let reason = "interrupted before \(name) resolved"
                for item in current.resolved(name, .failed(reason: reason, milliseconds: 0)) {
                    add([item])
                    let record = CheckRecords.interrupted(item.check, flow: profile.flows[item.check.flowIndex])
                    settle(outcome.checks.count - 1, record, nil)
                }
            }
            outcome.stream = current
        }
        return outcome
    }

    private func namesPendingAtStart(_ stream: PlanStream?) -> Bool { !(stream?.names.isEmpty ?? true) }
}
