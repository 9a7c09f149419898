/// What `diff` and `merge` compare: one cell of the matrix, whatever the names resolved to and
/// whichever address the probe host had.
///
/// A cell is the source group (and the source subnet, never the probe host's address), the
/// destination group and host name, the protocol and port, and the path (direct or the proxy).
/// It holds one check per resolved address (one check when the name did not resolve or a proxy
/// resolved it). A change request row with two ports and two destination hosts is four cells.
public struct CellIdentity: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The source group.
    public var sourceGroup: String
    /// The subnet of the source group the checks were sent from ("10.10.20.0/24"); nil when the
    /// report does not record it (reports of earlier versions, groups without subnets).
    public var sourceSubnet: String?
    /// The destination group.
    public var destinationGroup: String
    /// The destination host as named in the profile.
    public var host: String
    /// The protocol.
    public var `protocol`: FlowProtocol
    /// The port.
    public var port: Int
    /// "direct", or the proxy the checks went through ("environment" or its URL).
    public var path: String

    /// Creates a cell identity.
    public init(
        sourceGroup: String, sourceSubnet: String? = nil, destinationGroup: String, host: String,
        protocol: FlowProtocol, port: Int, path: String = "direct"
    ) {
        self.sourceGroup = sourceGroup
        self.sourceSubnet = sourceSubnet
        self.destinationGroup = destinationGroup
        self.host = host
        self.protocol = `protocol`
        self.port = port
        self.path = path
    }

    /// The cell a check belongs to, from fields every report has (`source.subnet` when recorded).
    public init(_ check: CheckRecord) {
        self.init(
            sourceGroup: check.source.group, sourceSubnet: check.source.subnet,
            destinationGroup: check.destination.group, host: check.destination.host, protocol: check.flow.protocol,
            port: check.flow.port, path: check.proxy ?? "direct")
    }

    /// The same cell with the subnet left out (for reports that do not record it).
    public var withoutSubnet: CellIdentity {
        var copy = self
        copy.sourceSubnet = nil
        return copy
    }

    /// "clients 10.10.20.0/24 -> cls api.cls.licensing.nvidia.com tls/443", with " via PROXY" for
    /// proxied cells.
    public var description: String {
        let source = sourceSubnet.map { "\(sourceGroup) \($0)" } ?? sourceGroup
        let via = path == "direct" ? "" : " via \(path)"
        return "\(source) -> \(destinationGroup) \(host) \(`protocol`.rawValue)/\(port)\(via)"
    }
}

extension CheckRecord {
    /// The cell of the matrix this check measured.
    public var cell: CellIdentity { CellIdentity(self) }
}

extension Profile {
    /// The subnet of source group `group` that holds `address` ("10.10.20.0/24" as the profile
    /// writes it); nil for groups without subnets, unbound checks and destination-host sources.
    public func sourceSubnet(group: String, address: String?) -> String? {
        guard let address = address.flatMap(IPAddress.init), let subnets = source(named: group)?.subnets else {
            return nil
        }
        return subnets.first { $0.contains(address) }?.description
    }
}

extension Report {
    /// The report with `source.subnet` recorded on every check sent from a subnet of its source
    /// group, so that `diff` and `merge` match cells by subnet rather than by the probe host's address.
    public func recordingSourceSubnets(of profile: Profile) -> Report {
        var copy = self
        for index in copy.checks.indices { copy.checks[index].recordSourceSubnet(of: profile) }
        return copy
    }
}

extension CheckRecord {
    /// Records in `source.subnet` the subnet of the check's source group that holds its source
    /// address (nil when none does): one record's share of ``Report/recordingSourceSubnets(of:)``.
    public mutating func recordSourceSubnet(of profile: Profile) {
        source.subnet = profile.sourceSubnet(group: source.group, address: source.address)
    }
}
