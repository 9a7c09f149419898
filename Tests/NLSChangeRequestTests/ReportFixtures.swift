import NLSProbeCore

/// Reports made in code for the rule tests: one check per call, with the observation, the
/// verdict the engine would give, and the evidence a run would record.
enum ReportFixtures {
    static func check(
        source: String = "clients", subnet: String? = "10.10.20.0/24", address: String? = "10.10.20.5",
        host: String = "dls-a.example.com", destination: String? = "10.0.0.10", port: Int = 443,
        proto: FlowProtocol = .tls, expect: Expectation = .allow, observed: Observed, proxy: String? = nil,
        wire: WireEvidence? = nil, services: [String] = ["License acquisition"], reason: String = "reason",
        icmp: ICMPEvidence? = nil, path: PathEvidence? = nil
    ) -> CheckRecord {
        let id =
            "\(source) \(address ?? "*") -> dls \(host)\(destination.map { " \($0)" } ?? "") \(proto.rawValue)/\(port)"
            + (proxy.map { " via \($0)" } ?? "")
        var evidence = Evidence(resolvedAddresses: destination.map { [$0] } ?? [])
        evidence.wire = wire
        evidence.icmp = icmp
        evidence.path = path
        if let proxy { evidence.proxy = ProxyEvidence(url: proxy, status: "403 Forbidden") }
        var record = CheckRecord(
            id: id,
            flow: CheckFlow(
                index: 0, port: port, protocol: proto, direction: .ingress, services: services, from: source, to: "dls"),
            source: SourceRef(group: source, address: address, subnet: subnet),
            destination: DestinationRef(group: "dls", host: host, address: destination), proxy: proxy, expect: expect,
            observed: observed, verdict: Verdict.judge(expect: expect, observed: observed), reason: reason,
            attempts: [AttemptRecord(observed: observed, reason: reason, elapsedMs: 1)], timingsMs: Timings(total: 1),
            evidence: evidence)
        record.verdict = Verdict.judge(expect: expect, observed: observed)
        return record
    }

    static func report(_ checks: [CheckRecord]) -> Report {
        Report(
            tool: ToolInfo(version: "test"),
            profile: ProfileInfo(name: "dls-test", title: "test", reference: nil, digest: "sha256:0"),
            run: RunInfo(
                started: "2026-11-30T00:00:00Z", finished: "2026-11-30T00:00:01Z", host: "probe", localSources: [],
                localAddresses: [], proxy: "direct"),
            flows: [], checks: checks)
    }
}
