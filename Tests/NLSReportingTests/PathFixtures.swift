import NLSProbeCore

/// Evidence of a filtered check whose path was traced: dropped after hop 2.
func tracedEvidence(resolvedAddresses: [String]) -> Evidence {
    var evidence = Evidence(resolvedAddresses: resolvedAddresses)
    evidence.path = PathEvidence(
        hops: [
            PathHop(ttl: 1, answer: .timeExceeded, from: "198.18.10.1", rttMs: 0.3),
            PathHop(ttl: 2, answer: .timeExceeded, from: "10.20.0.1", rttMs: 0.6),
            PathHop(ttl: 3, answer: .silence), PathHop(ttl: 4, answer: .silence), PathHop(ttl: 5, answer: .silence),
        ],
        stop: .dropped, stopHop: 2, stopAddress: "10.20.0.1", sourcePort: 40113,
        summary: "dropped after hop 2 (10.20.0.1); hops 1 198.18.10.1, 2 10.20.0.1, 3 *, 4 *, 5 *", probes: 5,
        durationMs: 3004.1)
    return evidence
}
