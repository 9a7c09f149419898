/// The rules as CSV for a spreadsheet: one row per rule (every field quoted, formulas defused),
/// then, after an empty row, the failures no rule fixes.
public enum RulesCSV {
    /// The CSV text.
    public static func render(_ rules: RuleSet) -> String {
        var rows: [[String]] = [
            [
                "Rule", "Action", "Source", "Destination", "Host", "Protocol", "Port", "Service", "Where", "In the way",
                "Unconfirmed", "Fixes checks",
            ]
        ]
        for rule in rules.rules {
            rows.append([
                "\(rule.number)", rule.action.rawValue, rule.source, rule.destinations.joined(separator: ", "),
                rule.hosts.joined(separator: ", "), rule.protocol, PortRange.text(rule.ports),
                rule.services.joined(separator: ", "), rule.enforcedAt, rule.inTheWay.joined(separator: "; "),
                rule.unconfirmed.joined(separator: "; "), rule.checks.joined(separator: "; "),
            ])
        }
        var text = rows.map { $0.map(RuleText.csv).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
        if !rules.unfixable.isEmpty {
            var apart: [[String]] = [["Not fixed by a rule: check", "Observed", "Kind", "Why no rule", "What to do"]]
            for failure in rules.unfixable {
                apart.append([
                    failure.check, failure.observed?.rawValue ?? "", failure.kind.rawValue, failure.why, failure.hint,
                ])
            }
            text +=
                "\r\n" + apart.map { $0.map(RuleText.csv).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
        }
        return text
    }
}
