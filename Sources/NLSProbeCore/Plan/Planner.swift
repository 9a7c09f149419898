/// Expands a profile into checks (stage 3, "plan", in docs/ARCHITECTURE.md).
public struct Planner: Sendable {
    /// The profile to expand.
    public let profile: Profile
    /// This host's interface addresses.
    public let localAddresses: [IPAddress]
    /// Command-line overrides of the source.
    public let selection: SourceSelection

    /// Creates a planner.
    public init(profile: Profile, localAddresses: [IPAddress], selection: SourceSelection = SourceSelection()) {
        self.profile = profile
        self.localAddresses = localAddresses
        self.selection = selection
    }

    /// The host names that need resolving: destinations reached directly, and hosts that act as sources.
    public func hostsToResolve() -> [String] {
        var hosts: [String] = []
        for flow in profile.flows {
            if let group = profile.destination(named: flow.to), !flow.settings.proxy.isProxied {
                hosts.append(contentsOf: group.hosts)
            }
            if profile.source(named: flow.from) == nil, let group = profile.destination(named: flow.from) {
                hosts.append(contentsOf: group.hosts)
            }
        }
        var seen = Set<String>()
        return hosts.filter { IPAddress($0) == nil && seen.insert($0).inserted }
    }

    /// The source groups this host runs (for the report's `local_sources`).
    public func localSourceGroups(resolutions: [String: Resolution] = [:]) -> [String] {
        let names = profile.flows.map(\.from)
        var seen = Set<String>()
        return names.filter { name in
            guard seen.insert(name).inserted else { return false }
            return sourceBindings(for: name, resolutions: resolutions).contains { $0.skip == nil }
        }
    }

    /// Every check of the profile, in flow, port, source, destination order. Count first with
    /// `checkCount(resolutions:)`, or call `checks(resolutions:maxChecks:)`: a large profile can
    /// expand into more checks than memory holds.
    public func checks(resolutions: [String: Resolution]) -> [PlannedCheck] {
        Array(lazyChecks(resolutions: resolutions))
    }

    /// The checks of `checks(resolutions:)`, in the same order, built one at a time as the
    /// sequence is walked (only one flow's source bindings are held at once).
    public func lazyChecks(resolutions: [String: Resolution]) -> some Sequence<PlannedCheck> {
        var destinations: [String: DestinationGroup] = [:]
        for group in profile.destinations where destinations[group.name] == nil { destinations[group.name] = group }
        return profile.flows.lazy.flatMap { flow in
            let destination = destinations[flow.to]
            let bindings = destination == nil ? [] : sourceBindings(for: flow.from, resolutions: resolutions)
            let hosts = destination?.hosts ?? []
            let name = destination?.name ?? flow.to
            return flow.ports.lazy.flatMap { port in
                bindings.lazy.flatMap { binding in
                    hosts.lazy.filter { $0 != binding.host }.flatMap { host in
                        expand(
                            flow: flow, port: port, binding: binding, destination: name, host: host,
                            resolutions: resolutions)
                    }
                }
            }
        }
    }

    func expand(
        flow: Flow, port: Int, binding: SourceBinding, destination: String, host: String,
        resolutions: [String: Resolution]
    ) -> [PlannedCheck] {
        var check = PlannedCheck(
            flowIndex: flow.index, port: port, proto: flow.proto, sourceGroup: flow.from,
            sourceAddress: binding.address, destinationGroup: destination, host: host, address: nil,
            skipReason: binding.skip, dnsFailure: nil, dnsMilliseconds: nil, resolvedAddresses: [],
            expect: flow.expect, settings: flow.settings)
        if flow.settings.proxy.isProxied { return [check] }
        let resolution = IPAddress(host).map { Resolution.literal($0.description) } ?? resolutions[host]
        switch resolution {
        case .none:
            check.dnsFailure = "the name was not resolved"
            return [check]
        case .failed(let reason, let ms):
            check.dnsFailure = reason
            check.dnsMilliseconds = ms
            return [check]
        case .some(let resolved):
            check.dnsMilliseconds = resolved.milliseconds
            check.resolvedAddresses = resolved.addresses
            var addresses = resolved.addresses
            if let source = binding.address.flatMap(IPAddress.init) {
                // A bound source can only reach addresses of its own family.
                let sameFamily = addresses.filter { IPAddress($0)?.isIPv6 == source.isIPv6 }
                if !sameFamily.isEmpty { addresses = sameFamily }
            }
            return addresses.map { address in
                var one = check
                one.address = address
                return one
            }
        }
    }

    struct SourceBinding: Sendable {
        var host: String?
        var address: String?
        var skip: String?
    }

    func sourceBindings(for group: String, resolutions: [String: Resolution]) -> [SourceBinding] {
        if let selected = selection.group, selected != group {
            return [SourceBinding(skip: "only source group '\(selected)' was selected (--source)")]
        }
        if let sources = profile.source(named: group) {
            return bindings(of: sources)
        }
        guard let hosts = profile.destination(named: group)?.hosts else { return [] }
        return hosts.map { host in
            let addresses = IPAddress(host).map { [$0.description] } ?? resolutions[host]?.addresses ?? []
            if addresses.isEmpty {
                return SourceBinding(
                    host: host,
                    skip: "source host \(host) did not resolve, so this host cannot tell whether it is \(host)")
            }
            let local = localAddresses.map(\.description)
            if let bind = selection.bind {
                return addresses.contains(bind.description)
                    ? SourceBinding(host: host, address: bind.description)
                    : SourceBinding(host: host, skip: "--bind \(bind) is not an address of \(host)")
            }
            if let match = addresses.first(where: local.contains) {
                return SourceBinding(host: host, address: match)
            }
            // The pair is the other node's to run: its checks name that node's address, so the
            // reports show which node skipped them and why.
            let named = host == addresses[0] ? host : "\(host) (\(addresses.joined(separator: ", ")))"
            return SourceBinding(
                host: host, address: addresses[0],
                skip:
                    "started by \(named), which this host is not: the other node runs this pair; run nlsprobe there and merge the reports"
            )
        }
    }

    private func bindings(of group: SourceGroup) -> [SourceBinding] {
        let forced = selection.group == group.name
        if let bind = selection.bind {
            if group.subnets.isEmpty || forced || group.subnets.contains(where: { $0.contains(bind) }) {
                return [SourceBinding(address: bind.description)]
            }
            let subnets = group.subnets.map(\.description).joined(separator: ", ")
            return [SourceBinding(skip: "--bind \(bind) is outside this group's subnets (\(subnets))")]
        }
        if group.subnets.isEmpty { return [SourceBinding()] }
        var result: [SourceBinding] = []
        for subnet in group.subnets {
            if let address = localAddresses.first(where: subnet.contains) {
                let binding = SourceBinding(address: address.description)
                if !result.contains(where: { $0.address == binding.address }) { result.append(binding) }
            }
        }
        if !result.isEmpty { return result }
        if forced { return [SourceBinding()] }
        let subnets = group.subnets.map(\.description).joined(separator: ", ")
        return [
            SourceBinding(
                skip: "this host has no address in \(subnets); run nlsprobe from that subnet, or use --source/--bind")
        ]
    }
}
