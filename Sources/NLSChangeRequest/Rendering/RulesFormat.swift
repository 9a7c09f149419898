/// The formats `nlsprobe rules` writes.
public enum RulesFormat: String, Sendable, CaseIterable {
    /// A Markdown document for the change ticket.
    case markdown = "md"
    /// CSV for a spreadsheet.
    case csv
    /// JSON for other tools.
    case json
    /// nftables commands (`nft -f FILE`) for a Linux firewall in the path.
    case nft
}
