import Foundation
import NLSProbeCore

#if canImport(Glibc)
    import Glibc
#endif

/// Traces one flow: SYNs from the check's source address and port to its destination address and
/// port with TTL 1, 2, 3…, one at a time, all from the same source port (the same 5-tuple, as
/// Paris-traceroute keeps it, so ECMP and per-flow firewall rules treat every probe as the check).
/// Kernel TCP sockets with `IP_RECVERR` read the ICMP answers: no raw socket, no root.
struct PathTracer: Sendable {
    /// The flow to trace.
    struct Request: Sendable, Equatable {
        /// The check's source address; nil lets the kernel choose (as the check did).
        var source: String?
        /// The check's source port, when known; 0 or nil lets the kernel choose one for the trace.
        var sourcePort: Int?
        /// The destination address.
        var destination: String
        /// The destination port.
        var port: Int
    }

    /// What a trace found, before it is read.
    struct Trace: Sendable, Equatable {
        /// Every probe, by TTL.
        var hops: [PathHop]
        /// The source port every probe used.
        var sourcePort: Int?
        /// The TTL a reset arrived with (a raw socket, with CAP_NET_RAW), when one came and was seen.
        var resetTtl: Int?
        /// A note on what could not be done (bind failed, the trace's budget ran out).
        var note: String?
        /// Milliseconds in all.
        var durationMs: Double
    }

    let limits: TraceLimits
    let pacer: TracePacer

    /// Runs the trace (blocking: call it on a thread of its own).
    func trace(_ request: Request) -> Trace {
        let started = MonotonicClock.now()
        var hops: [PathHop] = []
        var port = request.sourcePort ?? 0
        var note: String?
        var silent = 0
        var resetTtl: Int?
        // Without CAP_NET_RAW this is nil, and a reset's TTL stays unknown.
        let watch = ResetWatch(destination: request.destination)
        ttlLoop: for ttl in 1...max(1, limits.maxHops) {
            if MonotonicClock.now() - started + limits.hopWait > limits.traceBudget {
                note = "the trace stopped at its budget of \(Durations.format(limits.traceBudget))"
                break
            }
            pacer.wait()
            var probe = TraceProbe.send(
                source: request.source, sourcePort: port, destination: request.destination, port: request.port,
                ttl: ttl, wait: limits.hopWait)
            if case .local(_, bindFailed: true)? = probe?.answer, port != 0 {
                // The check's port is taken again (by another socket): keep one flow, on another port.
                note = "source port \(port) was in use again; the trace used another, the same for every probe"
                port = 0
                probe = TraceProbe.send(
                    source: request.source, sourcePort: 0, destination: request.destination, port: request.port,
                    ttl: ttl, wait: limits.hopWait)
            }
            guard let probe else {
                note = "the addresses \(request.source ?? "any") and \(request.destination) cannot be traced"
                break
            }
            if port == 0 { port = probe.localPort }
            switch probe.answer {
            case .silence:
                hops.append(PathHop(ttl: ttl, answer: .silence))
                silent += 1
                if silent >= limits.silentHopsToStop { break ttlLoop }
            case .synAck:
                hops.append(PathHop(ttl: ttl, answer: .synAck, from: request.destination, rttMs: probe.elapsedMs))
                break ttlLoop
            case .reset:
                hops.append(PathHop(ttl: ttl, answer: .reset, from: request.destination, rttMs: probe.elapsedMs))
                resetTtl = watch?.resetTtl(fromPort: request.port, toPort: port)
                break ttlLoop
            case .icmp(let icmp):
                silent = 0
                if ICMPNames.isTimeExceeded(version: icmp.version, type: icmp.type) {
                    hops.append(PathHop(ttl: ttl, answer: .timeExceeded, from: icmp.from, rttMs: probe.elapsedMs))
                } else {
                    hops.append(
                        PathHop(
                            ttl: ttl, answer: .unreachable, from: icmp.from,
                            icmp: "\(icmp.text) (ICMP\(icmp.version == 6 ? "v6" : "") \(icmp.type)/\(icmp.code))",
                            rttMs: probe.elapsedMs))
                    break ttlLoop
                }
            case .local(let error, _):
                hops.append(PathHop(ttl: ttl, answer: .localError))
                note = "this host could not send the probe: \(String(cString: strerror(error)))"
                break ttlLoop
            }
        }
        let elapsed = (MonotonicClock.now() - started) * 1000
        return Trace(
            hops: hops, sourcePort: port == 0 ? nil : port, resetTtl: resetTtl, note: note,
            durationMs: (elapsed * 10).rounded() / 10)
    }
}
