/// "Did you mean": the choice nearest a misspelt word, by Levenshtein distance.
enum EditDistance {
    /// The choice nearest `word`, when it is within a third of the word's length (at least 2
    /// edits); nil for words longer than 64 characters, which are not compared.
    static func closest(_ word: String, in choices: [String]) -> String? {
        guard word.count <= 64 else { return nil }
        let scored = choices.map { ($0, distance(word, $0)) }.min { $0.1 < $1.1 }
        guard let best = scored, best.1 <= max(2, word.count / 3) else { return nil }
        return best.0
    }

    /// The Levenshtein distance between `a` and `b`: insertions, deletions and substitutions of
    /// characters.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        if a.isEmpty { return b.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + [Int](repeating: 0, count: b.count)
            for j in 1...max(b.count, 1) where j <= b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
