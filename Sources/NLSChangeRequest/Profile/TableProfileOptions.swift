/// How `profile from-table` reads a change request.
public struct TableProfileOptions: Sendable {
    /// The profile identifier; nil: made from the file's name.
    public var name: String?
    /// The profile's title; nil: "Change request <file name>".
    public var title: String?
    /// Ports whose TCP rows are checked with a TLS handshake (`--tls-ports 443,8082`).
    public var tlsPorts: Set<Int>
    /// Names defined on the command line, as written: "vdi=10.1.0.0/16", "dls=a.example,b.example".
    public var defines: [String]
    /// The table's format; nil: the file's extension or text decides.
    public var format: TableFormat?

    /// Creates options.
    public init(
        name: String? = nil, title: String? = nil, tlsPorts: Set<Int> = [], defines: [String] = [],
        format: TableFormat? = nil
    ) {
        self.name = name
        self.title = title
        self.tlsPorts = tlsPorts
        self.defines = defines
        self.format = format
    }
}
