import Foundation
import NLSProbeCore

/// After a run, says where its failed checks stop: traces the path of every direct check whose
/// flow asks for it (`trace: on-failure`, `--trace`) and that ended filtered, unreachable, refused
/// or tls-failed, and asks the resolvers about every name that did not resolve. Runs once the
/// engine is done and a capture stopped, so its probes never mix with the checks' own packets.
public enum PathTracing {
    /// The observations worth a trace.
    static let traced: Set<Observed> = [.filtered, .unreachable, .refused, .tlsFailed]

    /// The records with `evidence.path` (and for dns-failed, `evidence.dns`) added where asked.
    static func annotate(
        _ records: [CheckRecord?], checks: [PlannedCheck], limits: TraceLimits = TraceLimits(),
        interrupted: @escaping @Sendable () -> Bool
    ) async -> [CheckRecord?] {
        var records = records
        var requests: [PathTracer.Request] = []
        var wanted: [Int: Int] = [:]  // record index -> request index
        var names: [String: [Int]] = [:]
        for index in records.indices where index < checks.count {
            // The check's setting first: a record is copied only for a check that traces.
            guard checks[index].settings.trace == .onFailure, let record = records[index],
                let observed = record.observed
            else { continue }
            if observed == .dnsFailed {
                names[record.destination.host, default: []].append(index)
                continue
            }
            guard record.proxy == nil, traced.contains(observed), let address = record.destination.address else {
                continue
            }
            let request = PathTracer.Request(
                source: record.evidence.localAddress ?? record.source.address,
                sourcePort: record.evidence.localPort, destination: address, port: record.flow.port)
            // One trace per flow: another check of the same 5-tuple shares it.
            if let same = requests.firstIndex(where: {
                $0.destination == request.destination && $0.port == request.port && $0.source == request.source
            }) {
                wanted[index] = same
            } else if requests.count < limits.maxTraces {
                wanted[index] = requests.count
                requests.append(request)
            }
        }
        if !requests.isEmpty && !interrupted() {
            let traces = await run(requests, limits: limits, interrupted: interrupted)
            for (index, requestIndex) in wanted {
                guard var record = records[index], let trace = traces[requestIndex] else { continue }
                let path = PathReading.read(
                    hops: trace.hops, destination: requests[requestIndex].destination,
                    resetTtl: trace.resetTtl ?? record.evidence.wire?.resetTtl, sourcePort: trace.sourcePort,
                    note: trace.note, durationMs: trace.durationMs)
                record.evidence.path = path
                record.reason += "; traced: " + shortWhere(path)
                records[index] = record
            }
        }
        if !names.isEmpty && !interrupted() {
            let diagnoses = await ResolverDiagnosis.diagnoseAll(
                names.keys.sorted(),
                timeout: names.values.compactMap { $0.first.map { checks[$0].settings.dnsTimeout } }
                    .min() ?? 5)
            for (host, indices) in names {
                guard let dns = diagnoses[host] else { continue }
                for index in indices {
                    guard var record = records[index] else { continue }
                    record.evidence.dns = dns
                    record.reason += "; " + dns.summary
                    records[index] = record
                }
            }
        }
        return records
    }

    /// The part of a path's summary before its hop list: "dropped after hop 1 (198.18.110.1)".
    public static func shortWhere(_ path: PathEvidence) -> String {
        guard let range = path.summary.range(of: "; hops ") else { return path.summary }
        return String(path.summary[..<range.lowerBound])
    }

    /// Runs the traces on a few threads of their own (each trace blocks while it waits for
    /// answers), paced together; a trace not started within the run's budget is left out.
    static func run(
        _ requests: [PathTracer.Request], limits: TraceLimits, interrupted: @escaping @Sendable () -> Bool
    ) async -> [Int: PathTracer.Trace] {
        let tracer = PathTracer(limits: limits, pacer: TracePacer(interval: limits.probeInterval))
        let started = MonotonicClock.now()
        return await BlockingWorkers.run(
            requests.count, workers: limits.concurrentTraces,
            proceed: { !interrupted() && MonotonicClock.now() - started + limits.traceBudget <= limits.runBudget }
        ) { index in
            tracer.trace(requests[index])
        }
    }
}
