import NLSProbeCore

/// Plans a run: applies the command line to a profile, resolves every name the plan needs (once,
/// all at once) and expands the profile into the checks this host runs.
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
        var checks: [PlannedCheck] = []
        for planner in planners { checks += planner.checks(resolutions: resolutions) }
        if options.comparePaths {
            // Direct and proxied checks of a flow side by side.
            checks = checks.enumerated().sorted {
                ($0.element.flowIndex, $0.offset) < ($1.element.flowIndex, $1.offset)
            }.map(\.element)
            var seen = Set<String>()
            checks = checks.filter { seen.insert($0.id).inserted }
        }
        return RunPlan(
            profile: effective, checks: checks,
            localSources: planners[0].localSourceGroups(resolutions: resolutions), localAddresses: local)
    }
}
