/// One check, ready to run or to report as skipped.
public struct PlannedCheck: Sendable, Equatable {
    /// The flow's index in the profile.
    public var flowIndex: Int
    /// The port.
    public var port: Int
    /// The protocol.
    public var proto: FlowProtocol
    /// The initiating group.
    public var sourceGroup: String
    /// The address to bind; nil binds nothing.
    public var sourceAddress: String?
    /// The destination group.
    public var destinationGroup: String
    /// The destination host as named.
    public var host: String
    /// The address to connect to; nil when a proxy resolves the name or resolution failed.
    public var address: String?
    /// Why the check is skipped, if it is.
    public var skipReason: String?
    /// Why the name did not resolve, if it did not.
    public var dnsFailure: String?
    /// Resolver time for the destination, nil for literals and proxied checks.
    public var dnsMilliseconds: Double?
    /// All addresses the destination resolved to (evidence).
    public var resolvedAddresses: [String]
    /// The expectation.
    public var expect: Expectation
    /// The settings to run with.
    public var settings: CheckSettings

    /// Creates a check.
    public init(
        flowIndex: Int, port: Int, proto: FlowProtocol, sourceGroup: String, sourceAddress: String?,
        destinationGroup: String, host: String, address: String?, skipReason: String? = nil,
        dnsFailure: String? = nil, dnsMilliseconds: Double? = nil, resolvedAddresses: [String] = [],
        expect: Expectation, settings: CheckSettings
    ) {
        self.flowIndex = flowIndex
        self.port = port
        self.proto = proto
        self.sourceGroup = sourceGroup
        self.sourceAddress = sourceAddress
        self.destinationGroup = destinationGroup
        self.host = host
        self.address = address
        self.skipReason = skipReason
        self.dnsFailure = dnsFailure
        self.dnsMilliseconds = dnsMilliseconds
        self.resolvedAddresses = resolvedAddresses
        self.expect = expect
        self.settings = settings
    }

    /// The identity of the check in reports and diffs.
    public var id: String {
        let destination = address.map { $0 == host ? host : "\(host) \($0)" } ?? host
        let path = settings.proxy.isProxied ? " via \(settings.proxy)" : ""
        return
            "\(sourceGroup) \(sourceAddress ?? "*") -> \(destinationGroup) \(destination) \(proto.rawValue)/\(port)\(path)"
    }
}
