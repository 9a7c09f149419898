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
        var result: [(PlanPosition, PlannedCheck)] = []
        forEachCheck(of: unit, resolutions: resolutions, counted: { result.reserveCapacity($0) }) {
            result.append(($0, $1))
        }
        return result
    }

    /// Calls `body` with each check of `checks(of:resolutions:)` and its position, in the same
    /// order, without gathering them; `counted` hears how many there will be, before the first.
    ///
    /// A unit's checks of one source binding differ only by their port: each binding is expanded
    /// once (the host's addresses, its name's resolution) and copied for every port.
    public func forEachCheck(
        of unit: PlanUnit, resolutions: [String: Resolution], counted: (Int) -> Void = { _ in },
        _ body: (PlanPosition, PlannedCheck) -> Void
    ) {
        guard let (flow, destination, host) = target(of: unit), let firstPort = flow.ports.first else {
            counted(0)
            return
        }
        var expanded: [(binding: Int, checks: [PlannedCheck])] = []
        var perPort = 0
        for (position, binding) in sourceBindings(for: flow.from, resolutions: resolutions).enumerated()
        where binding.host != host {
            let checks = expand(
                flow: flow, port: firstPort, binding: binding, destination: destination, host: host,
                resolutions: resolutions)
            expanded.append((position, checks))
            perPort += checks.count
        }
        counted(perPort * flow.ports.count)
        for (port, number) in flow.ports.enumerated() {
            for (binding, checks) in expanded {
                for (address, template) in checks.enumerated() {
                    var check = template
                    check.port = number
                    body(
                        PlanPosition(
                            flow: unit.flowPosition, port: port, binding: binding, host: unit.hostPosition,
                            address: address),
                        check)
                }
            }
        }
    }

    /// The flow, destination group name and host of a unit; nil when the unit is not of this profile.
    private func target(of unit: PlanUnit) -> (flow: Flow, destination: String, host: String)? {
        guard unit.flowPosition < profile.flows.count else { return nil }
        let flow = profile.flows[unit.flowPosition]
        guard let destination = profile.destinations.first(where: { $0.name == flow.to }),
            unit.hostPosition < destination.hosts.count
        else { return nil }
        return (flow, destination.name, destination.hosts[unit.hostPosition])
    }
}
