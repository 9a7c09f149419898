import Foundation
import NLSProbeCore
import TestSupport
import Testing

/// Where each failed cell of the lab stops, as Profiles/lab/ground-truth.json says (`topology`
/// and each run's `where`), and the check of a traced run against it.
struct LabPathTruth: Decodable {
    struct Device: Decodable {
        let hop: Int
        let links: [String: [String]]
    }
    struct Resolver: Decodable {
        let device: String
        let answers: String
    }
    struct Topology: Decodable {
        let devices: [String: Device]
        let resolvers: [String: Resolver]
    }
    /// One cell's stop: a path stop at a device's hop, or a resolver and its response code.
    struct Stop: Decodable {
        let stop: String?
        let stop_hop: Int?
        let device: String?
        let rule: String?
        let needs: String?
        let resolver: String?
        let rcode: String?
    }
    struct Run: Decodable {
        let profile: String
        let from: String
        let checks: [String: String]
        let `where`: [String: Stop]?
    }
    let topology: Topology
    let runs: [Run]

    /// The observations that must say where they stop.
    static let located: Set<String> = ["filtered", "unreachable", "refused", "dns-failed"]

    static func load() throws -> LabPathTruth {
        let data = try Data(contentsOf: repositoryRoot.appendingPathComponent("Profiles/lab/ground-truth.json"))
        return try JSONDecoder().decode(LabPathTruth.self, from: data)
    }

    /// The device's address on the link toward `source` (where its ICMP errors come from).
    func address(of device: String, toward source: String) -> String? {
        guard let source = IPAddress(source) else { return nil }
        return topology.devices[device]?.links.values.joined().first { CIDR($0)?.contains(source) == true }
            .map { String($0.split(separator: "/")[0]) }
    }

    /// Every located cell of `run` in `report` (a run with `--trace`) against the data: its path
    /// stops at the hop and device given, or its DNS evidence names the resolver and response code.
    /// `privileged`: the run had CAP_NET_RAW (what stops marked `needs: CAP_NET_RAW` require).
    func expectWhere(_ report: Report, run: Run, privileged: Bool) {
        let located = run.checks.filter { Self.located.contains($0.value) }.map(\.key)
        // The data covers every located cell, and names only cells of this run.
        #expect(Set(located) == Set((run.where ?? [:]).keys), "\(run.profile) from \(run.from): 'where' cells")
        for (id, expected) in run.where ?? [:] {
            guard let record = report.checks.first(where: { $0.id == id }) else {
                Issue.record("\(run.profile) from \(run.from): no check \(id)")
                continue
            }
            if let resolver = expected.resolver, let rcode = expected.rcode {
                #expect(topology.resolvers[resolver]?.answers == rcode, "\(id): the topology's resolver")
                let dns = record.evidence.dns
                #expect(dns?.servers == [resolver], "\(id): \(record.reason)")
                let answered = "resolver \(resolver) answered \(rcode) for \(record.destination.host) (A and AAAA)"
                #expect(dns?.summary.contains(answered) == true, "\(id): \(dns?.summary ?? record.reason)")
                #expect(record.reason.contains(answered), "\(id): \(record.reason)")
                #expect(
                    dns?.queries.contains { $0.server == resolver && $0.answer.rawValue == rcode.lowercased() } == true,
                    "\(id)")
                continue
            }
            guard let path = record.evidence.path else {
                Issue.record("\(id) was not traced: \(record.reason)")
                continue
            }
            #expect(path.probes <= 16 && path.durationMs < 20_000, "\(id): \(path.summary)")
            if expected.needs == "CAP_NET_RAW" && !privileged { continue }
            let device = expected.device ?? "?"
            let address: String? = record.source.address.flatMap { self.address(of: device, toward: $0) }
            #expect(address != nil, "\(id): no address of \(device) toward the source")
            #expect(path.stop.rawValue == expected.stop, "\(id): \(path.summary)")
            #expect(path.stopHop == expected.stop_hop, "\(id): \(path.summary)")
            #expect(expected.stop_hop == topology.devices[device]?.hop, "\(id): the device's hop")
            #expect(path.stopAddress == address, "\(id): \(path.summary)")
            #expect(record.reason.contains("traced: "), "\(id): \(record.reason)")
            // Hop by hop up to the stop: the device answered time exceeded from the same address.
            #expect(path.hops.first?.answer == .timeExceeded && path.hops.first?.from == address, "\(path.summary)")
        }
        // A cell that ended open or skipped is not traced.
        for record in report.checks where !Self.located.contains(record.observed?.rawValue ?? "skipped") {
            #expect(record.evidence.path == nil && record.evidence.dns == nil, "\(record.id)")
        }
    }
}
