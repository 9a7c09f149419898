import NLSProbeCore

/// Plans a run: applies the command line to a profile, resolves every name the plan needs (once,
/// in parallel) and expands the profile into the checks this host runs. A run streams instead
/// (`PlanStream`, `ProbeRunner.run(streaming:)`): the same plan, each check started once its own
/// names have resolved.
public enum RunPlanner {
    /// Expands a profile into checks for this host; resolves names but sends nothing to the destinations.
    /// Throws `ProfileError.planTooLarge` when, with its names resolved (one name may give many
    /// addresses), the plan holds more than `options.maxChecks` checks: counted before it is built.
    public static func plan(_ profile: Profile, options: RunOptions) async throws(ProfileError) -> RunPlan {
        let effective = profile.applying(options.override)
        let local = options.localAddresses ?? LocalAddresses.current()
        // With --path direct,proxy every flow is planned direct, then as configured (through the proxy).
        let variants =
            options.comparePaths ? [effective.applying(SettingsOverride(proxy: .direct)), effective] : [effective]
        let planners = variants.map { Planner(profile: $0, localAddresses: local, selection: options.selection) }
        let dnsTimeout = effective.flows.map(\.settings.dnsTimeout).max() ?? effective.defaults.dnsTimeout
        var hosts: [String] = []
        var seenHosts = Set<String>()
        for host in planners.flatMap({ $0.hostsToResolve() }) where seenHosts.insert(host).inserted {
            hosts.append(host)
        }
        let resolutions = await Resolver.resolveAll(hosts, timeout: dnsTimeout)
        let count = planners.reduce(0) { PlanLimits.sum($0, $1.checkCount(resolutions: resolutions)) }
        guard count <= options.maxChecks else {
            throw .planTooLarge(
                path: profile.path ?? profile.name, count: count, limit: options.maxChecks, largest: nil)
        }
        return RunPlan(
            profile: effective, checks: checks(planners, resolutions: resolutions, comparePaths: options.comparePaths),
            localSources: planners[0].localSourceGroups(resolutions: resolutions), localAddresses: local)
    }

    /// The plan's checks in plan order: each variant's (direct, then as configured), or with
    /// `comparePaths` a flow's direct and proxied checks side by side, each identity once.
    static func checks(_ planners: [Planner], resolutions: [String: Resolution], comparePaths: Bool)
        -> [PlannedCheck]
    {
        var checks: [PlannedCheck] = []
        for planner in planners { checks += planner.checks(resolutions: resolutions) }
        if comparePaths {
            checks = checks.enumerated().sorted {
                ($0.element.flowIndex, $0.offset) < ($1.element.flowIndex, $1.offset)
            }.map(\.element)
            var seen = Set<String>()
            checks = checks.filter { seen.insert($0.id).inserted }
        }
        return checks
    }
}
