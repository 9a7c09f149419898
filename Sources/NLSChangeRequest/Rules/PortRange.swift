/// A range of TCP ports, as rules write them ("8081-8085"; one port when both ends are equal).
public struct PortRange: Codable, Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The first port.
    public var from: Int
    /// The last port.
    public var to: Int

    /// Creates a range.
    public init(from: Int, to: Int) {
        self.from = from
        self.to = to
    }

    /// "443" or "8081-8085".
    public var description: String { from == to ? "\(from)" : "\(from)-\(to)" }

    /// Ports as the fewest ranges, in order.
    public static func ranges(of ports: [Int]) -> [PortRange] {
        PortList.ranges(of: Array(Set(ports)).sorted()).map { PortRange(from: $0.lowerBound, to: $0.upperBound) }
    }

    /// "80, 443, 8081-8085".
    public static func text(_ ranges: [PortRange]) -> String {
        ranges.map(\.description).joined(separator: ", ")
    }
}
