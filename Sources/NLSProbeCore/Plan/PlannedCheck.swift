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

    /// The identity of the check in reports and diffs: "group address -> group host [address]
    /// proto/port [via proxy]".
    ///
    /// Its UTF-8 bytes are copied into a string allocated once at its full size (a run computes
    /// it for every check; string interpolation, or appending piece by piece, cost several times
    /// as much).
    public var id: String {
        let source = sourceAddress ?? "*"
        let shown = address.flatMap { $0 == host ? nil : $0 }
        let portText = String(port)
        let via = settings.proxy.isProxied ? " via \(settings.proxy)" : ""
        let pieces = [
            sourceGroup, " ", source, " -> ", destinationGroup, " ", host, shown == nil ? "" : " ", shown ?? "", " ",
            proto.rawValue, "/", portText, via,
        ]
        var length = 0
        for piece in pieces { length += piece.utf8.count }
        return String(unsafeUninitializedCapacity: length) { buffer in
            var index = 0
            for var piece in pieces {
                piece.withUTF8 { utf8 in
                    guard let start = utf8.baseAddress, let target = buffer.baseAddress else { return }
                    (target + index).update(from: start, count: utf8.count)
                    index += utf8.count
                }
            }
            return index
        }
    }
}
