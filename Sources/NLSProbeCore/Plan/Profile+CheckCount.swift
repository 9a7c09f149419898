extension Profile {
    /// Checks each flow expands into before name resolution (one address per host), counted
    /// without expanding: ports × source bindings (one per source subnet, at least one) ×
    /// destination hosts, or ports × host pairs when a destination group's hosts initiate; at
    /// least one per port. Each count saturates at `Int.max`.
    public func checkCountsByFlow() -> [Int] {
        checkCountsByFlow(portCounts: nil)
    }

    /// `checkCountsByFlow()` with each flow's port count given (the loader counts before it
    /// expands port ranges). Every port counts at least once, so ports alone are bounded too.
    func checkCountsByFlow(portCounts: [Int]?) -> [Int] {
        var sources: [String: SourceGroup] = [:]
        for group in self.sources where sources[group.name] == nil { sources[group.name] = group }
        var destinations: [String: DestinationGroup] = [:]
        for group in self.destinations where destinations[group.name] == nil { destinations[group.name] = group }
        var pairs: [String: Int] = [:]
        return flows.enumerated().map { index, flow in
            let ports = portCounts.map { index < $0.count ? $0[index] : 0 } ?? flow.ports.count
            guard let to = destinations[flow.to] else { return ports }
            let perPort: Int
            if let source = sources[flow.from] {
                perPort = PlanLimits.product(max(1, source.subnets.count), to.hosts.count)
            } else if let from = destinations[flow.from] {
                let key = "\(flow.from)\u{0}\(flow.to)"
                if let known = pairs[key] {
                    perPort = known
                } else {
                    let targets = Set(to.hosts)
                    let overlap = Set(from.hosts).filter(targets.contains).count
                    let count = PlanLimits.product(from.hosts.count, to.hosts.count) - overlap
                    pairs[key] = count
                    perPort = count
                }
            } else {
                return ports
            }
            return PlanLimits.product(ports, max(1, perPort))
        }
    }

    /// All checks the profile expands into before name resolution, times `pathVariants` (2 for
    /// `--path direct,proxy`); saturates at `Int.max`.
    public func checkCount(pathVariants: Int = 1) -> Int {
        let total = checkCountsByFlow().reduce(0, PlanLimits.sum)
        return PlanLimits.product(total, max(1, pathVariants))
    }

    /// Throws `ProfileError.planTooLarge` when the profile expands into more than `maxChecks` checks.
    public func checkPlanSize(
        maxChecks: Int = PlanLimits.defaultMaxChecks, pathVariants: Int = 1
    ) throws(ProfileError) {
        let counts = checkCountsByFlow()
        let total = PlanLimits.product(counts.reduce(0, PlanLimits.sum), max(1, pathVariants))
        guard total > maxChecks else { return }
        throw .planTooLarge(path: path ?? name, count: total, limit: maxChecks, largest: largestFlow(counts))
    }

    /// The issue naming the flow that contributes most, located where the flow stands in the file.
    func largestFlow(_ counts: [Int]) -> ProfileIssue? {
        guard let (index, count) = counts.enumerated().max(by: { $0.element < $1.element }), index < flows.count
        else { return nil }
        let flow = flows[index]
        let location = index < flowLocations.count ? flowLocations[index] : (line: 1, column: 1)
        return ProfileIssue(
            file: path ?? name, line: location.line, column: location.column,
            message:
                "the largest flow (flow \(index + 1), port \(Excerpt.quote(flow.portLabel)) from \(flow.from) to \(flow.to)) gives \(PlanLimits.describe(count)) checks"
        )
    }
}
