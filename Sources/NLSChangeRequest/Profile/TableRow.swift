import NLSProbeCore

/// One row of a change request, read: every cell checked, nothing yet made into groups.
struct TableRow {
    /// A Source or Destination cell, read.
    struct Side {
        var cell: TableCell
        var endpoints: [Endpoint]
        /// The defined name, when the cell is exactly one.
        var name: String?
        /// The definition's origin, when the cell is exactly one defined name.
        var origin: String?
    }

    var line: Int
    var firstColumn: Int
    var portCell: TableCell
    var ports: [ClosedRange<Int>]
    var proto: CellValues.ProtocolValue
    var direction: Direction
    var services: [String]
    var source: Side
    var destination: Side
    var expect: Expectation
    var note: String?
    /// The row as the table shows it, for the profile's comment: "443 | TCP | Egress | …".
    var text: String

    /// The ports, one by one.
    var portSet: Set<Int> { Set(ports.flatMap { Array($0) }) }
}
