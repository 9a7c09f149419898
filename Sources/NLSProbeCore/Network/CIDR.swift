/// An address block written as CIDR ("198.18.10.0/24").
public struct CIDR: Hashable, Sendable, CustomStringConvertible {
    /// The network address as written (host bits may be set).
    public let address: IPAddress
    /// The prefix length.
    public let prefixLength: Int

    /// Parses "address/prefix"; a bare address is a single-host block. Nil when malformed.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2, let address = IPAddress(String(parts[0])) else {
            return nil
        }
        let maximum = address.bytes.count * 8
        if parts.count == 2 {
            guard let prefix = Int(parts[1]), (0...maximum).contains(prefix), !parts[1].hasPrefix("+")
            else { return nil }
            prefixLength = prefix
        } else {
            prefixLength = maximum
        }
        self.address = address
    }

    /// True when `candidate` lies in this block (same family, same leading bits).
    public func contains(_ candidate: IPAddress) -> Bool {
        guard candidate.bytes.count == address.bytes.count else { return false }
        var remaining = prefixLength
        for index in 0..<address.bytes.count where remaining > 0 {
            let bits = min(8, remaining)
            let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
            if address.bytes[index] & mask != candidate.bytes[index] & mask { return false }
            remaining -= bits
        }
        return true
    }

    /// The block as written in profiles.
    public var description: String { "\(address)/\(prefixLength)" }
}
