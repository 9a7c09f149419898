import NLSProbeCore

/// A plan that hands out its checks as their names resolve: a check is ready as soon as its own
/// names are (see `PlanUnit`), whatever other names still wait. Once every name has answered,
/// `plan()` is the same plan `RunPlanner.plan` builds, in the same order.
///
/// Owned by one task (the runner's loop): not shared between threads.
struct PlanStream {
    /// A ready check and where it stands in the plan.
    struct Ready {
        /// Where the check stands in the final plan.
        let order: Order
        /// The check.
        let check: PlannedCheck
    }

    /// The plan order: variant (direct or as configured, with `--path direct,proxy`), flow, port,
    /// source binding, host, address; with both paths, a flow's direct and proxied checks side
    /// by side (flow first).
    struct Order: Comparable {
        let flowFirst: Bool
        let flowIndex: Int
        let variant: Int
        let position: PlanPosition

        static func < (lhs: Order, rhs: Order) -> Bool {
            if lhs.flowFirst {
                return (lhs.flowIndex, lhs.variant) < (rhs.flowIndex, rhs.variant)
                    || ((lhs.flowIndex, lhs.variant) == (rhs.flowIndex, rhs.variant) && lhs.position < rhs.position)
            }
            return lhs.variant < rhs.variant || (lhs.variant == rhs.variant && lhs.position < rhs.position)
        }
    }

    /// The profile with the command line applied.
    let profile: Profile
    /// This host's addresses.
    let localAddresses: [IPAddress]
    /// The names to resolve, each once, in plan order.
    let names: [String]
    /// The resolver timeout (the longest any flow has).
    let dnsTimeout: Double
    /// The most checks the plan may hold (`--max-checks`).
    let maxChecks: Int
    private let planners: [Planner]
    private let comparePaths: Bool
    /// The units by number, with the names each still waits for; nil once handed out (an array,
    /// not a dictionary: the numbers are 0..<count).
    private var waiting: [(variant: Int, unit: PlanUnit, missing: Set<String>)?] = []
    /// The units not handed out yet.
    private var unitsWaiting = 0
    /// The waiting units of each name.
    private var unitsOf: [String: [Int]] = [:]
    private(set) var resolutions: [String: Resolution] = [:]
    private var seenIDs = Set<String>()
    /// Checks handed out so far.
    private(set) var count = 0

    /// The stream of a profile, as `RunPlanner.plan` would plan it with `options`.
    init(_ profile: Profile, options: RunOptions) {
        let effective = profile.applying(options.override)
        let local = options.localAddresses ?? LocalAddresses.current()
        let variants =
            options.comparePaths ? [effective.applying(SettingsOverride(proxy: .direct)), effective] : [effective]
        planners = variants.map { Planner(profile: $0, localAddresses: local, selection: options.selection) }
        self.profile = effective
        localAddresses = local
        comparePaths = options.comparePaths
        maxChecks = options.maxChecks
        dnsTimeout = effective.flows.map(\.settings.dnsTimeout).max() ?? effective.defaults.dnsTimeout
        var names: [String] = []
        var seen = Set<String>()
        for host in planners.flatMap({ $0.hostsToResolve() }) where seen.insert(host).inserted { names.append(host) }
        self.names = names
        for (variant, planner) in planners.enumerated() {
            for unit in planner.units() {
                for name in unit.names { unitsOf[name, default: []].append(waiting.count) }
                waiting.append((variant, unit, Set(unit.names)))
            }
        }
        unitsWaiting = waiting.count
    }

    /// True once every unit was handed out.
    var isComplete: Bool { unitsWaiting == 0 }

    /// True when the checks handed out are more than `maxChecks`.
    var isTooLarge: Bool { count > maxChecks }

    /// The checks that need no name resolved, in plan order.
    mutating func start() -> [Ready] {
        let ready = waiting.indices.filter { waiting[$0]?.missing.isEmpty == true }
        return take(ready)
    }

    /// Records the answer for `name`; returns the checks it made ready, in plan order.
    mutating func resolved(_ name: String, _ resolution: Resolution) -> [Ready] {
        guard resolutions[name] == nil else { return [] }
        resolutions[name] = resolution
        var ready: [Int] = []
        for number in unitsOf.removeValue(forKey: name) ?? [] {
            guard var entry = waiting[number] else { continue }
            entry.missing.remove(name)
            waiting[number] = entry
            if entry.missing.isEmpty { ready.append(number) }
        }
        return take(ready)
    }

    /// The plan once complete: every check handed out, in plan order (`checks` as handed out,
    /// `orders` beside them).
    func plan(checks: [PlannedCheck], orders: [Order]) -> (RunPlan, [Int]) {
        let sorted = orders.indices.sorted { orders[$0] < orders[$1] }
        let plan = RunPlan(
            profile: profile, checks: sorted.map { checks[$0] },
            localSources: planners[0].localSourceGroups(resolutions: resolutions), localAddresses: localAddresses)
        return (plan, sorted)
    }

    private mutating func take(_ numbers: [Int]) -> [Ready] {
        var ready: [Ready] = []
        for number in numbers {
            guard let entry = waiting[number] else { continue }
            waiting[number] = nil
            unitsWaiting -= 1
            planners[entry.variant].forEachCheck(
                of: entry.unit, resolutions: resolutions,
                counted: { count in
                    // Grown once per unit, and geometrically: many small units copy no check often.
                    let wanted = ready.count + count
                    if wanted > ready.capacity { ready.reserveCapacity(max(wanted, 2 * ready.capacity)) }
                }
            ) { position, check in
                let order = Order(
                    flowFirst: comparePaths, flowIndex: check.flowIndex, variant: entry.variant, position: position)
                ready.append(Ready(order: order, check: check))
            }
        }
        ready.sort { $0.order < $1.order }
        if comparePaths {
            // Direct and proxied checks of a flow side by side, each identity once (the first).
            ready = ready.filter { seenIDs.insert($0.check.id).inserted }
        }
        count += ready.count
        return ready
    }
}
