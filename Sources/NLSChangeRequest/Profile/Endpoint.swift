import NLSProbeCore

/// One item of a Source or Destination cell, or of a name definition, once read.
public enum Endpoint: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// A subnet in CIDR form.
    case subnet(CIDR)
    /// One IP address.
    case address(IPAddress)
    /// A host name.
    case host(String)

    /// The item as a profile writes it.
    public var description: String {
        switch self {
        case .subnet(let cidr): cidr.description
        case .address(let address): address.description
        case .host(let name): name
        }
    }

    /// A subnet, an address or a host name with at least one dot (`singleLabelHosts`: or without
    /// one, for hosts a definition lists); nil when the text is none of them.
    public static func literal(_ text: String, singleLabelHosts: Bool = false) -> Endpoint? {
        if text.contains("/") {
            guard text.utf8.count <= 64, let cidr = CIDR(text) else { return nil }
            return .subnet(cidr)
        }
        if text.utf8.count <= 64, let address = IPAddress(text) { return .address(address) }
        if Hostname.isValid(text) && (singleLabelHosts || text.contains(".")) { return .host(text) }
        return nil
    }

    /// True for text that looks meant as a subnet or an address (digits, dots, colons, a slash).
    static func looksNumeric(_ text: String) -> Bool {
        !text.isEmpty && text.allSatisfy { $0.isHexDigit || ".:/".contains($0) } && text.contains(where: \.isNumber)
            && (text.contains(".") || text.contains(":"))
    }

    /// The subnet this endpoint stands for as a source: itself, or one address as /32 (/128).
    var sourceSubnet: CIDR? {
        switch self {
        case .subnet(let cidr): cidr
        case .address(let address): CIDR("\(address)/\(address.isIPv6 ? 128 : 32)")
        case .host: nil
        }
    }

    /// The host this endpoint stands for as a destination: an address or a name; nil for a subnet
    /// (but a /32 or /128 is its address).
    var destinationHost: String? {
        switch self {
        case .subnet(let cidr):
            cidr.prefixLength == (cidr.address.isIPv6 ? 128 : 32) ? cidr.address.description : nil
        case .address(let address): address.description
        case .host(let name): name
        }
    }
}
