import NLSProbeCore

/// The existing nftables chain the rules are inserted into: a family (ip, ip6 or inet), a table
/// and a chain, named on the command line (`--nft-table "inet filter" --nft-chain forward`).
public struct NftTarget: Sendable, Equatable {
    /// The table's family.
    public var family: String
    /// The table's name.
    public var table: String
    /// The chain's name.
    public var chain: String

    /// Why a target was refused.
    public struct Invalid: Error, Sendable, Equatable, CustomStringConvertible {
        /// The message.
        public var description: String
    }

    /// Reads `--nft-table "FAMILY NAME"` and `--nft-chain NAME`.
    public init(table tableText: String, chain: String) throws(Invalid) {
        let words = tableText.split(whereSeparator: \.isWhitespace).map(String.init)
        guard words.count == 2 else {
            throw Invalid(
                description:
                    "--nft-table '\(Excerpt.quote(tableText))' must be a family and a table name, such as \"inet filter\" or \"ip lab\""
            )
        }
        guard ["ip", "ip6", "inet"].contains(words[0]) else {
            throw Invalid(
                description:
                    "--nft-table family '\(Excerpt.quote(words[0]))' is not one of ip, ip6, inet (the families whose rules match IP addresses and TCP ports)"
            )
        }
        for (what, name) in [("table", words[1]), ("chain", chain)] where !Self.isIdentifier(name) {
            throw Invalid(
                description:
                    "--nft-\(what) '\(Excerpt.quote(name))' is not an nftables name: a letter, then letters, digits, '_', '-' or '.' (at most 64)"
            )
        }
        family = words[0]
        table = words[1]
        self.chain = chain
    }

    /// A letter, then letters, digits, '_', '-' or '.'; at most 64 bytes.
    static func isIdentifier(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard (1...64).contains(bytes.count) else { return false }
        func letter(_ byte: UInt8) -> Bool { (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) }
        return letter(bytes[0])
            && bytes.allSatisfy { letter($0) || (0x30...0x39).contains($0) || $0 == 0x5F || $0 == 0x2D || $0 == 0x2E }
    }

    /// "ip lab forward", as nft commands name the chain.
    public var chainReference: String { "\(family) \(table) \(chain)" }
}
