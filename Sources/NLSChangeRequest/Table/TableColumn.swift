/// The columns a change-request table may have, known by the usual spellings of their headings.
public enum TableColumn: String, Sendable, CaseIterable {
    /// Port | Ports | Dport | Destination port.
    case port = "Port"
    /// Protocol | Proto.
    case `protocol` = "Protocol"
    /// Eg-/Ingress | Direction | Egress/Ingress.
    case direction = "Eg-/Ingress"
    /// Service | Services | Purpose.
    case service = "Service"
    /// Source | Src | From.
    case source = "Source"
    /// Destination | Dst | Dest | To.
    case destination = "Destination"
    /// Expect | Action (allow or block); optional, allow when absent.
    case expect = "Expect"
    /// Note | Notes | Comment | Remarks; optional.
    case note = "Note"
    /// Name, in a table of name definitions.
    case name = "Name"
    /// Subnets/hosts, in a table of name definitions.
    case members = "Subnets/hosts"

    /// The columns a change request must have.
    public static let required: [TableColumn] = [.port, .protocol, .direction, .source, .destination]
    /// The columns of a change request.
    public static let flowColumns: [TableColumn] = [
        .port, .protocol, .direction, .service, .source, .destination, .expect, .note,
    ]

    /// The spellings each heading is known by, as ``key(_:)`` writes them.
    static let spellings: [TableColumn: [String]] = [
        .port: ["port", "ports", "dport", "dstport", "destinationport", "destport", "portnumber", "portnumbers"],
        .protocol: ["protocol", "protocols", "proto"],
        .direction: [
            "egingress", "egressingress", "direction", "dir", "ingressegress", "inout", "inboundoutbound",
            "outboundinbound",
        ],
        .service: ["service", "services", "purpose", "description", "usage", "function"],
        .source: ["source", "sources", "src", "from", "sourcehost", "sourcehosts", "sourcesubnet", "sourcesubnets"],
        .destination: [
            "destination", "destinations", "dst", "dest", "to", "destinationhost", "destinationhosts", "target",
        ],
        .expect: ["expect", "expected", "expectation", "action", "allowblock", "permitdeny"],
        .note: ["note", "notes", "comment", "comments", "remark", "remarks"],
        .name: ["name", "names", "alias", "object", "objectname", "group"],
        .members: [
            "subnetshosts", "subnetsorhosts", "hostssubnets", "subnets", "hosts", "members", "addresses", "value",
            "values", "definition", "ipaddresses", "addressesorhosts",
        ],
    ]

    /// A heading reduced to lower-case letters and digits: "Eg-/Ingress" is "egingress".
    public static func key(_ heading: String) -> String {
        String(
            heading.lowercased().unicodeScalars.filter { ("a"..."z").contains($0) || ("0"..."9").contains($0) }.map(
                Character.init))
    }

    /// The column a heading names, if any.
    public static func matching(_ heading: String) -> TableColumn? {
        let key = key(heading)
        return allCases.first { spellings[$0]?.contains(key) == true }
    }

    /// The known heading nearest a misspelt one (for "did you mean"), if one is near enough.
    public static func nearest(_ heading: String) -> TableColumn? {
        let key = key(heading)
        guard key.count >= 3 else { return nil }
        var best: (TableColumn, Int)?
        for column in allCases {
            for spelling in spellings[column] ?? [] {
                let distance = NameSuggestion.distance(key, spelling)
                if distance <= max(1, spelling.count / 4), best.map({ distance < $0.1 }) ?? true {
                    best = (column, distance)
                }
            }
        }
        return best?.0
    }
}
