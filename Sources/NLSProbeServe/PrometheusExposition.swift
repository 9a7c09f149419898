/// Joins Prometheus text expositions (one per profile, and the exporter's own) into one: a
/// metric family may appear once only, its `# HELP` and `# TYPE` first, then all its samples.
public enum PrometheusExposition {
    /// One metric family: its comment lines and its samples, in order.
    private struct Family {
        var comments: [Substring] = []
        var samples: [Substring] = []
    }

    /// The texts as one exposition: families in the order they first appear, each family's
    /// samples in the order of the texts, each `# HELP` and `# TYPE` once.
    public static func merge(_ texts: [String]) -> String {
        var order: [Substring] = []
        var families: [Substring: Family] = [:]
        for text in texts {
            var current: Substring?
            for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
                if line.hasPrefix("# HELP ") || line.hasPrefix("# TYPE ") {
                    let words = line.split(separator: " ", maxSplits: 3)
                    guard words.count >= 3 else { continue }
                    let name = words[2]
                    if families[name] == nil {
                        order.append(name)
                        families[name] = Family()
                    }
                    if families[name]?.comments.contains(where: { $0.hasPrefix(line.prefix(7)) }) == false {
                        families[name]?.comments.append(line)
                    }
                    current = name
                } else if line.hasPrefix("#") {
                    continue
                } else {
                    let name = current ?? line.prefix { $0 != "{" && $0 != " " }
                    if families[name] == nil {
                        order.append(name)
                        families[name] = Family()
                    }
                    families[name]?.samples.append(line)
                }
            }
        }
        var out = ""
        for name in order {
            guard let family = families[name] else { continue }
            for line in family.comments + family.samples {
                out += line
                out += "\n"
            }
        }
        return out
    }
}
