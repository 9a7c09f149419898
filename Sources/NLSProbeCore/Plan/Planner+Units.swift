/// A part of a plan that can be expanded on its own: one flow towards one destination host. Its
/// checks need only the names in `names` resolved (the host, when reached directly, and the hosts
/// of a source group made of destination hosts), so a run can start them as soon as those names
/// have resolved, whatever other names still wait.
public struct PlanUnit: Sendable, Equatable {
    /// The flow's position in the profile's flows.
    public let flowPosition: Int
    /// The host's position in the destination group's hosts.
    public let hostPosition: Int
    /// The names its checks need resolved (IP literals excluded), each once.
    public let names: [String]
}

/// Where a check stands in a plan: compared in the order `Planner.checks(resolutions:)` gives
/// (flow, port, source binding, destination host, address).
public struct PlanPosition: Sendable, Hashable, Comparable {
    /// The flow's position in the profile's flows.
    public var flow: Int
    /// The port's position in the flow's ports.
    public var port: Int
    /// The source binding's position in the flow's source bindings.
    public var binding: Int
    /// The host's position in the destination group's hosts.
    public var host: Int
    /// The address's position among those the host resolved to.
    public var address: Int

    /// Compares flow, port, binding, host, then address.
    public static func < (lhs: PlanPosition, rhs: PlanPosition) -> Bool {
        (lhs.flow, lhs.port, lhs.binding, lhs.host, lhs.address)
            < (rhs.flow, rhs.port, rhs.binding, rhs.host, rhs.address)
    }
}

extension Planner {
    /// The units of the plan, in flow then host order.
    public func units() -> [PlanUnit] {
        var destinations: [String: DestinationGroup] = [:]
        for group in profile.destinations where destinations[group.name] == nil { destinations[group.name] = group }
        var result: [PlanUnit] = []
        for (position, flow) in profile.flows.enumerated() {
            guard let destination = destinations[flow.to] else { continue }
            var sourceNames: [String] = []
            if profile.source(named: flow.from) == nil, let group = profile.destination(named: flow.from) {
                sourceNames = group.hosts.filter { IPAddress($0) == nil }
            }
            for (hostPosition, host) in destination.hosts.enumerated() {
                var names = sourceNames
                if !flow.settings.proxy.isProxied && IPAddress(host) == nil { names.append(host) }
                var seen = Set<String>()
                result.append(
                    PlanUnit(
                        flowPosition: position, hostPosition: hostPosition,
                        names: names.filter { seen.insert($0).inserted }))
            }
        }
        return result
    }

    /// The checks of one unit with their positions in the plan, in plan order: the same checks
    /// `checks(resolutions:)` gives for that flow and host, once the unit's names are in `resolutions`.
    public func checks(of unit: PlanUnit, resolutions: [String: Resolution]) -> [(PlanPosition, PlannedCheck)] {
        guard unit.flowPosition < profile.flows.count else { return [] }
        let flow = profile.flows[unit.flowPosition]
        guard let destination = profile.destinations.first(where: { $0.name == flow.to }),
            unit.hostPosition < destination.hosts.count
        else { return [] }
        let host = destination.hosts[unit.hostPosition]
        let bindings = sourceBindings(for: flow.from, resolutions: resolutions)
        var result: [(PlanPosition, PlannedCheck)] = []
        for (port, number) in flow.ports.enumerated() {
            for (bindingPosition, binding) in bindings.enumerated() where binding.host != host {
                let checks = expand(
                    flow: flow, port: number, binding: binding, destination: destination.name, host: host,
                    resolutions: resolutions)
                for (address, check) in checks.enumerated() {
                    let position = PlanPosition(
                        flow: unit.flowPosition, port: port, binding: bindingPosition, host: unit.hostPosition,
                        address: address)
                    result.append((position, check))
                }
            }
        }
        return result
    }
}
