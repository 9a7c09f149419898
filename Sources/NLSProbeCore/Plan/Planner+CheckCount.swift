extension Planner {
    /// The exact number of checks `checks(resolutions:)` returns, counted without building them
    /// (saturates at `Int.max`).
    public func checkCount(resolutions: [String: Resolution]) -> Int {
        var total = 0
        var destinations: [String: DestinationGroup] = [:]
        for group in profile.destinations where destinations[group.name] == nil { destinations[group.name] = group }
        for flow in profile.flows {
            guard let destination = destinations[flow.to] else { continue }
            var perPort = 0
            for binding in sourceBindings(for: flow.from, resolutions: resolutions) {
                for host in destination.hosts where host != binding.host {
                    perPort = PlanLimits.sum(
                        perPort, addressCount(flow: flow, binding: binding, host: host, resolutions))
                }
            }
            total = PlanLimits.sum(total, PlanLimits.product(flow.ports.count, perPort))
        }
        return total
    }

    /// Every check of the profile, refused with `ProfileError.planTooLarge` when there would be
    /// more than `maxChecks` (counted before anything is built).
    public func checks(resolutions: [String: Resolution], maxChecks: Int) throws(ProfileError) -> [PlannedCheck] {
        let count = checkCount(resolutions: resolutions)
        guard count <= maxChecks else {
            throw .planTooLarge(path: profile.path ?? profile.name, count: count, limit: maxChecks, largest: nil)
        }
        return checks(resolutions: resolutions)
    }

    /// How many checks one (binding, host) pair of a flow gives: one per address it is tried on.
    private func addressCount(
        flow: Flow, binding: SourceBinding, host: String, _ resolutions: [String: Resolution]
    ) -> Int {
        if flow.settings.proxy.isProxied { return 1 }
        let resolution = IPAddress(host).map { Resolution.literal($0.description) } ?? resolutions[host]
        guard case .some(let resolved) = resolution else { return 1 }
        if case .failed = resolved { return 1 }
        var addresses = resolved.addresses
        if let source = binding.address.flatMap(IPAddress.init) {
            let sameFamily = addresses.filter { IPAddress($0)?.isIPv6 == source.isIPv6 }
            if !sameFamily.isEmpty { addresses = sameFamily }
        }
        return addresses.count
    }
}
