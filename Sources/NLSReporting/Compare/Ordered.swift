/// Order-keeping helpers for lists shown to a person, where the first appearance sets the order.
enum Ordered {
    /// The items without repeats, each where it first appears.
    static func unique<Item: Equatable>(_ items: [Item]) -> [Item] {
        items.reduce(into: [Item]()) { if !$0.contains($1) { $0.append($1) } }
    }
}
