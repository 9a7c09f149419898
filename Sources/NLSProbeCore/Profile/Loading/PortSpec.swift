/// A flow's ports as the profile wrote them, expanded only once the plan is known to be small enough.
enum PortSpec {
    case list([Int])
    case range(Int, Int)

    var count: Int {
        switch self {
        case .list(let ports): ports.count
        case .range(let low, let high): high - low + 1
        }
    }

    var ports: [Int] {
        switch self {
        case .list(let ports): ports
        case .range(let low, let high): Array(low...high)
        }
    }
}
