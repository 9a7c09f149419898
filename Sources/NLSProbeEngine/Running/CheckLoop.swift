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
        let inbox = ResultInbox()
        // The loop's state is a plain value that this task alone mutates (no closure captures it),
        // so its arrays are reached in place: a check is read where it lies, not copied out first.
        var state = CheckLoopState(
            engine: engine, profile: profile, inbox: inbox, progress: progress,
            outcome: Outcome(
                checks: checks, records: [CheckRecord?](repeating: nil, count: checks.count),
                startedAt: [Double?](repeating: nil, count: checks.count), stream: stream))
        if !(stream?.names.isEmpty ?? true) {
            // An interruption while only names are out must end the wait for them.
            engine.whenInterrupted { inbox.wake() }
        }
        if var started = state.outcome.stream {
            state.add(started.start())
            state.outcome.stream = started
            state.namesPending = started.names.count
            for name in started.names {
                resolver.resolve(name, timeout: started.dnsTimeout) { inbox.resolved(name, $0) }
            }
        }
        state.refill()
        if state.finished() { inbox.finish() }
        for await batch in inbox.batches {
            for item in batch {
                switch item {
                case .wake:
                    break
                case .name(let name, let resolution):
                    state.resolved(name, resolution)
                case .attempt(let index, let result):
                    state.settle(index, result.raw)
                }
                if !state.outcome.tooLarge { state.refill() }
            }
            if state.finished() { inbox.finish() }
        }
        state.settleNamesLeftOut()
        return state.outcome
    }
}
