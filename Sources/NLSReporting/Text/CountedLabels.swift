/// Labels with how often each occurs, in order of first appearance: "open ×2, filtered".
enum CountedLabels {
    /// Each label once, followed by "×N" when it occurs N > 1 times, joined by ", ".
    static func text(_ labels: [String]) -> String {
        var counts: [(label: String, count: Int)] = []
        for label in labels {
            if let index = counts.firstIndex(where: { $0.label == label }) {
                counts[index].count += 1
            } else {
                counts.append((label, 1))
            }
        }
        return counts.map { $0.count > 1 ? "\($0.label) ×\($0.count)" : $0.label }.joined(separator: ", ")
    }
}
