/// "Did you mean": the known name nearest a misspelt one, by Levenshtein distance.
public enum NameSuggestion {
    /// The choice nearest `word` (compared without case), when it is within a third of the word's
    /// length (at least 2 edits); nil for words longer than 64 characters, which are not compared.
    public static func closest(_ word: String, in choices: [String]) -> String? {
        guard word.count <= 64 else { return nil }
        let lower = word.lowercased()
        let scored = choices.map { ($0, distance(lower, $0.lowercased())) }.min { $0.1 < $1.1 }
        guard let best = scored, best.1 <= max(2, word.count / 3) else { return nil }
        return best.0
    }

    /// The Levenshtein distance between `a` and `b`.
    public static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + [Int](repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
