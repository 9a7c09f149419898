import NLSProbeCore

/// What `CheckLoop.run` keeps between results: the checks known so far and their records, retries
/// in waiting and the counts that decide when the loop ends.
struct CheckLoopState {
    let engine: ProbeEngine
    let profile: Profile
    let inbox: ResultInbox
    let progress: (@Sendable (Int, Int) -> Void)?
    /// Attempts kept submitted: a little more than the engine holds in flight, within its socket budget.
    let window: Int
    var outcome: CheckLoop.Outcome
    /// Earlier attempts of checks allowed more than one that will try again.
    var tried: [Int: [AttemptOutcome]] = [:]
    /// The next check to start.
    var next = 0
    var inFlight = 0
    var done = 0
    var namesPending = 0

    init(
        engine: ProbeEngine, profile: Profile, inbox: ResultInbox, progress: (@Sendable (Int, Int) -> Void)?,
        outcome: CheckLoop.Outcome
    ) {
        self.engine = engine
        self.profile = profile
        self.inbox = inbox
        self.progress = progress
        self.outcome = outcome
        window = min(engine.inFlightCeiling + max(64, engine.limits.global / 8), engine.socketBudget)
    }

    /// Appends checks that became ready.
    mutating func add(_ ready: [PlanStream.Ready]) {
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

    /// Stores check `index`'s record (moved in: a record holds some twenty strings).
    mutating func store(_ index: Int, _ record: consuming CheckRecord, _ started: Double?) {
        outcome.records[index] = consume record
        outcome.startedAt[index] = started
        done += 1
        progress?(done, outcome.checks.count)
    }

    /// Starts an attempt of check `index`.
    mutating func launch(_ index: Int) {
        inFlight += 1
        let inbox = inbox
        engine.submit(outcome.checks[index]) { inbox.put(index, $0) }
    }

    /// Starts checks until the window is full or none is left.
    mutating func refill() {
        while inFlight < window && next < outcome.checks.count {
            let index = next
            next += 1
            if CheckRecords.needsNetwork(outcome.checks[index]) {
                launch(index)
            } else if let record = CheckRecords.settledWithoutNetwork(
                outcome.checks[index], flow: profile.flows[outcome.checks[index].flowIndex])
            {
                store(index, record, nil)
            }
        }
    }

    /// Settles an attempt of check `index`: tries again, or records the check.
    mutating func settle(_ index: Int, _ raw: borrowing RawAttempt) {
        inFlight -= 1
        let attempt = engine.settle(raw, outcome.checks[index])
        let allowed = outcome.checks[index].settings.attempts
        if allowed > 1 {
            // Earlier attempts are kept only for checks allowed more than one.
            var attempts = tried.removeValue(forKey: index) ?? []
            attempts.append(attempt)
            if attempts.count < allowed && attempts[attempts.count - 1].observed != .localError
                && Verdict.judge(
                    expect: outcome.checks[index].expect, observed: attempts[attempts.count - 1].observed)
                    != .pass
            {
                tried[index] = attempts
                launch(index)
                return
            }
            let started = attempts[attempts.count - 1].startedAt
            store(index, record(index, attempts), started)
        } else {
            let started = attempt.startedAt
            store(index, record(index, [attempt]), started)
        }
    }

    private func record(_ index: Int, _ attempts: consuming [AttemptOutcome]) -> CheckRecord {
        CheckRecords.record(
            outcome.checks[index], flow: profile.flows[outcome.checks[index].flowIndex], outcomes: attempts)
    }

    /// Takes the answer for a name: its checks join the loop.
    mutating func resolved(_ name: String, _ resolution: Resolution) {
        namesPending -= 1
        guard !outcome.tooLarge, var current = outcome.stream else { return }
        outcome.stream = nil
        let ready = current.resolved(name, resolution)
        let tooLarge = current.isTooLarge
        outcome.stream = current
        if tooLarge { outcome.tooLarge = true } else { add(ready) }
    }

    /// Nothing left to wait for: no attempt in flight, no check unstarted, no name unanswered
    /// (once the run stopped or was interrupted, names still out are not waited for).
    func finished() -> Bool {
        guard inFlight == 0 else { return false }
        if outcome.tooLarge { return true }
        return next == outcome.checks.count && (namesPending == 0 || engine.isInterrupted)
    }

    /// Interrupted while names were still out: their checks are in the report, inconclusive.
    mutating func settleNamesLeftOut() {
        guard engine.isInterrupted && namesPending > 0, var current = outcome.stream, !outcome.tooLarge else {
            return
        }
        for name in current.names where current.resolutions[name] == nil {
            let reason = "interrupted before \(name) resolved"
            for item in current.resolved(name, .failed(reason: reason, milliseconds: 0)) {
                add([item])
                let record = CheckRecords.interrupted(item.check, flow: profile.flows[item.check.flowIndex])
                store(outcome.checks.count - 1, record, nil)
            }
        }
        outcome.stream = current
    }
}
