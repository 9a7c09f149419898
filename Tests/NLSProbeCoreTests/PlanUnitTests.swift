import Testing

@testable import NLSProbeCore

/// A plan expanded unit by unit (one flow towards one host, each binding expanded once and copied
/// for every port) holds the very checks, at the very positions, of the plan expanded at once.
@Suite struct PlanUnitTests {
    static let yaml = """
        profile: units
        title: unit expansion
        sources:
          clients:
            subnets: [198.18.10.0/24, 198.18.11.0/24, "2001:db8:10::/64"]
          anywhere: {}
        destinations:
          cls:
            hosts: [cls-a.test, 198.18.2.9, cls-b.test, cls-c.test, "2001:db8:2::9"]
          nodes:
            hosts: [node-a.test, 198.18.10.6]
        flows:
          - {port: "8080-8089", protocol: tls, direction: egress, from: clients, to: cls}
          - {port: [80, 443, 8443], protocol: tcp, direction: egress, from: anywhere, to: cls}
          - {port: [5671, 5672], protocol: tls, direction: ingress, from: nodes, to: nodes}
          - {port: [443, 8443], protocol: https, direction: egress, from: anywhere, to: cls, proxy: "http://proxy.test:3128"}
        """

    static let resolutions: [String: Resolution] = [
        "cls-a.test": .addresses(["198.18.2.1", "198.18.2.2", "2001:db8:2::1"], milliseconds: 3),
        "cls-b.test": .failed(reason: "cls-b.test does not exist in DNS (NXDOMAIN or no such name)", milliseconds: 2),
        "node-a.test": .addresses(["198.18.10.5"], milliseconds: 1),
    ]

    /// Every unit's checks, placed by their positions, against `checks(resolutions:)`.
    func compare(_ planner: Planner) {
        var expanded: [(PlanPosition, PlannedCheck)] = []
        for unit in planner.units() {
            let checks = planner.checks(of: unit, resolutions: Self.resolutions)
            var visited: [(PlanPosition, PlannedCheck)] = []
            var counted: Int?
            planner.forEachCheck(of: unit, resolutions: Self.resolutions, counted: { counted = $0 }) {
                visited.append(($0, $1))
            }
            #expect(counted == checks.count)
            #expect(visited.map(\.0) == checks.map(\.0))
            #expect(visited.map(\.1) == checks.map(\.1))
            #expect(checks.map(\.0) == checks.map(\.0).sorted(), "a unit's checks come in plan order")
            expanded += checks
        }
        let whole = planner.checks(resolutions: Self.resolutions)
        #expect(whole.count > 50)
        #expect(expanded.sorted { $0.0 < $1.0 }.map(\.1) == whole)
    }

    @Test(arguments: [["198.18.10.5"], ["198.18.10.5", "198.18.11.5", "2001:db8:10::5"], ["192.0.2.7"]])
    func unitsExpandAsThePlan(local: [String]) throws {
        let profile = try ProfileLoader().parse(Self.yaml, file: "units.yaml")
        compare(Planner(profile: profile, localAddresses: local.compactMap(IPAddress.init)))
    }

    @Test(arguments: ["198.18.10.5", "2001:db8:10::5"])
    func aBoundSourceKeepsItsFamily(bind: String) throws {
        let profile = try ProfileLoader().parse(Self.yaml, file: "units.yaml")
        let selection = SourceSelection(group: nil, bind: IPAddress(bind))
        compare(Planner(profile: profile, localAddresses: [IPAddress(bind)].compactMap { $0 }, selection: selection))
    }
}
