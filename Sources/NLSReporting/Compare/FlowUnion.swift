import NLSProbeCore

/// The flows of reports merged with `--allow-profile-change`: the first report's flows, then
/// each flow another report has that the first does not, renumbered.
struct FlowUnion {
    private(set) var flows: [FlowInfo] = []
    private var mapping: [[Int: Int]] = []

    init(_ reports: [Report]) {
        for report in reports {
            var map: [Int: Int] = [:]
            for flow in report.flows {
                if mapping.isEmpty {
                    // The first report's flows come first, with their numbers.
                    flows.append(flow)
                } else if let index = flows.firstIndex(where: { Self.same($0, flow) }) {
                    map[flow.index] = flows[index].index
                } else {
                    var renumbered = flow
                    renumbered.index = (flows.map(\.index).max() ?? -1) &+ 1
                    map[flow.index] = renumbered.index
                    flows.append(renumbered)
                }
            }
            mapping.append(map)
        }
    }

    /// The merged index of flow `index` of report `report`.
    func index(of index: Int, inReport report: Int) -> Int {
        mapping.indices.contains(report) ? mapping[report][index] ?? index : index
    }

    static func same(_ one: FlowInfo, _ other: FlowInfo) -> Bool {
        var copy = other
        copy.index = one.index
        return copy == one
    }
}
