import NLSProbeCore

/// The report's record of a check, built from what the plan knows and from its attempts' outcomes.
enum CheckRecords {
    /// The record of a check before any attempt: what the plan knows.
    static func base(_ check: PlannedCheck, flow: Flow) -> CheckRecord {
        make(
            check, flow: flow, observed: nil, verdict: .skipped, reason: "", attempts: [],
            timings: Timings(dns: check.dnsMilliseconds, total: total(dns: check.dnsMilliseconds, attempts: 0)),
            evidence: Evidence(resolvedAddresses: check.resolvedAddresses))
    }

    /// The record of a check: what the plan knows, with what its attempts gave (built in one go,
    /// not as a base record changed field by field: a record is copied whole when it is).
    private static func make(
        _ check: PlannedCheck, flow: Flow, observed: Observed?, verdict: Verdict, reason: String,
        attempts: [AttemptRecord], timings: Timings, evidence: Evidence
    ) -> CheckRecord {
        let checkFlow = CheckFlow(
            index: flow.index, port: check.port, protocol: check.proto, direction: flow.direction,
            services: flow.services, from: flow.from, to: check.destinationGroup)
        return CheckRecord(
            id: check.id, flow: checkFlow, source: SourceRef(group: check.sourceGroup, address: check.sourceAddress),
            destination: DestinationRef(group: check.destinationGroup, host: check.host, address: check.address),
            proxy: check.settings.proxy.isProxied ? check.settings.proxy.description : nil, expect: check.expect,
            observed: observed, verdict: verdict, reason: reason, attempts: attempts, timingsMs: timings,
            evidence: evidence)
    }

    /// True for a check that needs an attempt: neither skipped nor left without an address by
    /// its name (`settledWithoutNetwork` gives no record exactly then: it asks this first).
    /// Inlined: the runner asks it of every check where it lies, and a call would copy the check.
    @inline(__always)
    static func needsNetwork(_ check: PlannedCheck) -> Bool { check.skipReason == nil && check.dnsFailure == nil }

    /// The record of a check that needs no attempt (skipped, or its name did not resolve); nil otherwise.
    static func settledWithoutNetwork(_ check: PlannedCheck, flow: Flow) -> CheckRecord? {
        guard !needsNetwork(check) else { return nil }
        if let skip = check.skipReason {
            var record = base(check, flow: flow)
            record.reason = skip
            return record
        }
        if let failure = check.dnsFailure {
            var record = base(check, flow: flow)
            let elapsed = check.dnsMilliseconds ?? 0
            record.observed = .dnsFailed
            record.verdict = Verdict.judge(expect: check.expect, observed: .dnsFailed)
            record.reason = failure
            record.attempts = [AttemptRecord(observed: .dnsFailed, reason: failure, elapsedMs: elapsed)]
            // The resolver's time is the whole check: counted once, as `dns` and as `total`.
            record.timingsMs.total = total(dns: check.dnsMilliseconds, attempts: 0)
            return record
        }
        return nil
    }

    /// The record of a check the run was interrupted before starting (its name had not resolved).
    static func interrupted(_ check: PlannedCheck, flow: Flow) -> CheckRecord {
        var record = base(check, flow: flow)
        record.observed = .localError
        record.verdict = .inconclusive
        record.reason = "interrupted before the check finished"
        record.attempts = [AttemptRecord(observed: .localError, reason: record.reason, elapsedMs: 0)]
        return record
    }

    /// The record of a check the run lost track of: inconclusive, and saying so.
    static func unfinished(_ check: PlannedCheck, flow: Flow) -> CheckRecord {
        var record = base(check, flow: flow)
        record.observed = .localError
        record.verdict = .inconclusive
        record.reason = "the check did not finish (internal error: no result came back from the engine)"
        return record
    }

    /// The record of a check from its attempts, in order; the last one decides.
    static func record(_ check: PlannedCheck, flow: Flow, outcomes: [AttemptOutcome]) -> CheckRecord {
        guard let decisive = outcomes.last else { return base(check, flow: flow) }
        // The decisive attempt's evidence, with the name's addresses.
        var evidence = decisive.evidence
        evidence.resolvedAddresses = check.resolvedAddresses
        let elapsed = outcomes.reduce(0) { $0 + $1.elapsedMs }
        return make(
            check, flow: flow, observed: decisive.observed,
            verdict: Verdict.judge(expect: check.expect, observed: decisive.observed), reason: reason(outcomes),
            attempts: outcomes.map { AttemptRecord(observed: $0.observed, reason: $0.reason, elapsedMs: $0.elapsedMs) },
            timings: Timings(
                dns: check.dnsMilliseconds, connect: decisive.connectMs, tls: decisive.tlsMs,
                request: decisive.requestMs, total: total(dns: check.dnsMilliseconds, attempts: elapsed)),
            evidence: evidence)
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
