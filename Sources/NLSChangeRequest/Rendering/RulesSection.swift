import NLSProbeCore

/// The "Rules to request" section of the Markdown report, built by the code `nlsprobe rules` uses.
public enum RulesSection {
    /// The section (a `##` heading, the rule table, the failures no rule fixes), ending with a
    /// blank line; nil when nothing failed (a passing report gets no section). `hint` is the
    /// report's hint for a check (`Hints.hint(for:profile:)` in NLSReporting).
    public static func markdown(for report: Report, hint: (CheckRecord) -> String) -> String? {
        let rules = RuleDeriver.derive(from: report, hint: hint)
        guard !rules.isEmpty else { return nil }
        let lines =
            ["## Rules to request", ""]
            + RulesMarkdown.body(rules, headingLevel: 2)
            + ["`nlsprobe rules` on this report writes them as CSV, JSON or nftables commands."]
        return lines.joined(separator: "\n") + "\n"
    }
}
