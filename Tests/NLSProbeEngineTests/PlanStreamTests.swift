import NLSProbeCore
import Testing

@testable import NLSProbeEngine

/// A streamed plan hands out each check once its own names have resolved, and ends as the very
/// plan `RunPlanner` builds, in the same order.
@Suite struct PlanStreamTests {
    static let yaml = """
        profile: streamed
        title: streamed plan
        sources:
          clients:
            subnets: [198.18.10.0/24]
          anywhere: {}
        destinations:
          cls:
            hosts: [cls-a.test, 198.18.2.9, cls-b.test]
          nodes:
            hosts: [node-a.test, node-b.test]
        flows:
          - {port: [443, 8443], protocol: tls, direction: egress, from: clients, to: cls}
          - {port: 80, protocol: tcp, direction: egress, from: anywhere, to: cls}
          - {port: 80, protocol: tcp, direction: egress, from: anywhere, to: cls}
          - {port: 5671, protocol: tls, direction: ingress, from: nodes, to: nodes}
          - {port: 443, protocol: https, direction: egress, from: anywhere, to: cls, proxy: "http://proxy.test:3128"}
        """

    static let resolutions: [String: Resolution] = [
        "cls-a.test": .addresses(["198.18.2.1", "198.18.2.2"], milliseconds: 3),
        "cls-b.test": .failed(reason: "cls-b.test does not exist in DNS (NXDOMAIN or no such name)", milliseconds: 2),
        "node-a.test": .addresses(["198.18.10.5"], milliseconds: 1),
        "node-b.test": .addresses(["198.18.10.6"], milliseconds: 1),
    ]

    func expected(_ profile: Profile, options: RunOptions) -> [PlannedCheck] {
        let effective = profile.applying(options.override)
        let variants =
            options.comparePaths ? [effective.applying(SettingsOverride(proxy: .direct)), effective] : [effective]
        let planners = variants.map {
            Planner(profile: $0, localAddresses: options.localAddresses ?? [], selection: options.selection)
        }
        return RunPlanner.checks(planners, resolutions: Self.resolutions, comparePaths: options.comparePaths)
    }

    /// Feeds the names in `order`, collecting what each makes ready.
    func stream(_ profile: Profile, options: RunOptions, order: [String]) -> (PlanStream, [PlanStream.Ready], [Int]) {
        var stream = PlanStream(profile, options: options)
        var ready = stream.start()
        var after: [Int] = [ready.count]
        for name in order {
            ready += stream.resolved(name, Self.resolutions[name] ?? .failed(reason: "?", milliseconds: 0))
            after.append(ready.count)
        }
        return (stream, ready, after)
    }

    @Test(arguments: [false, true]) func theStreamEndsAsThePlan(comparePaths: Bool) throws {
        let profile = try ProfileLoader().parse(Self.yaml, file: "streamed.yaml")
        var options = RunOptions(localAddresses: [IPAddress("198.18.10.5")].compactMap { $0 })
        options.comparePaths = comparePaths
        let expected = expected(profile, options: options)
        for order in [
            ["cls-a.test", "cls-b.test", "node-a.test", "node-b.test"],
            ["node-b.test", "cls-b.test", "node-a.test", "cls-a.test"],
        ] {
            let (stream, ready, _) = stream(profile, options: options, order: order)
            #expect(stream.isComplete)
            #expect(Set(stream.names) == Set(Self.resolutions.keys))
            let (plan, sorted) = stream.plan(checks: ready.map(\.check), orders: ready.map(\.order))
            #expect(plan.checks == expected, "order \(order)")
            #expect(sorted.count == ready.count)
            #expect(stream.count == expected.count)
        }
    }

    @Test func aCheckIsReadyOnceItsOwnNamesAre() throws {
        let profile = try ProfileLoader().parse(Self.yaml, file: "streamed.yaml")
        let options = RunOptions(localAddresses: [IPAddress("198.18.10.5")].compactMap { $0 })
        let (_, ready, after) = stream(profile, options: options, order: ["cls-a.test", "node-a.test", "node-b.test"])
        // Before any name: the literal host's checks and the proxied ones (the proxy resolves).
        let first = ready.prefix(after[0]).map(\.check)
        #expect(!first.isEmpty)
        #expect(first.allSatisfy { $0.host == "198.18.2.9" || $0.settings.proxy.isProxied })
        // cls-a.test: its two addresses, for each of its flows' ports and sources.
        let second = ready[after[0]..<after[1]].map(\.check)
        #expect(second.allSatisfy { $0.host == "cls-a.test" })
        #expect(second.count == 2 * 2 + 2 + 2)
        // The node pair needs both names: nothing until the second one.
        #expect(after[2] == after[1])
        #expect(ready[after[2]..<after[3]].allSatisfy { $0.check.flowIndex == 3 })
    }

    @Test func aPlanItsNamesMakeTooLargeIsFoundAsTheyResolve() throws {
        let profile = try ProfileLoader().parse(Self.yaml, file: "streamed.yaml")
        var options = RunOptions(localAddresses: [IPAddress("198.18.10.5")].compactMap { $0 })
        options.maxChecks = 8
        var stream = PlanStream(profile, options: options)
        _ = stream.start()
        #expect(!stream.isTooLarge)
        _ = stream.resolved("cls-a.test", Self.resolutions["cls-a.test"] ?? .literal("?"))
        #expect(stream.isTooLarge)
    }
}
