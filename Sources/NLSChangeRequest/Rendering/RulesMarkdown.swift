import NLSProbeCore

/// The rules as Markdown: a table of rules to paste into a firewall change request, and the
/// failures no rule fixes, each with its hint.
public enum RulesMarkdown {
    /// A whole document: a title, which run it is from, then ``body(_:headingLevel:)``.
    public static func render(_ rules: RuleSet) -> String {
        var lines = ["# nlsprobe rules: \(RuleText.markdown(rules.profile))", ""]
        lines.append(
            "From the run of \(RuleText.markdown(rules.runStarted)) on \(RuleText.code(rules.host)). "
                + "Allow rules open paths the change request allows and the run found closed; deny rules close paths "
                + "it blocks and the run found open.")
        lines.append("")
        lines += body(rules, headingLevel: 2)
        return lines.joined(separator: "\n") + "\n"
    }

    /// The summary line, the rule table and the list of failures apart, as lines; headings at `headingLevel`.
    public static func body(_ rules: RuleSet, headingLevel: Int) -> [String] {
        let heading = String(repeating: "#", count: max(1, headingLevel))
        var lines: [String] = []
        let count = rules.rules.count
        let apart = rules.unfixable.count
        if count == 0 && apart == 0 {
            return ["No rule to request: no check failed."]
        }
        var summary =
            count == 0
            ? "No rule to request."
            : "\(count) rule\(count == 1 ? "" : "s") would make \(rules.fixedChecks) failed check\(rules.fixedChecks == 1 ? "" : "s") pass."
        if apart > 0 {
            summary +=
                " \(apart) failure\(apart == 1 ? " is" : "s are") not a firewall rule's to fix (listed apart, with what to do)."
        }
        lines += [summary, ""]
        if count > 0 {
            lines.append("| # | Action | Source | Destination | Port | Service | Where | In the way | Fixes |")
            lines.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
            for rule in rules.rules {
                var destination = rule.destinations.map(RuleText.markdown).joined(separator: ", ")
                if rule.hosts != rule.destinations {
                    destination += " (\(rule.hosts.map(RuleText.markdown).joined(separator: ", ")))"
                }
                var inTheWay = rule.inTheWay.map(RuleText.markdown).joined(separator: "; ")
                if !rule.unconfirmed.isEmpty {
                    inTheWay += "; ⚠️ unconfirmed: " + rule.unconfirmed.map(RuleText.markdown).joined(separator: "; ")
                }
                let cells = [
                    "\(rule.number)", rule.action == .allow ? "allow" : "**deny**", RuleText.markdown(rule.source),
                    destination, "tcp/\(PortRange.text(rule.ports))",
                    rule.services.map(RuleText.markdown).joined(separator: ", "), RuleText.markdown(rule.enforcedAt),
                    inTheWay, rule.checks.map(RuleText.code).joined(separator: "<br>"),
                ]
                lines.append("| " + cells.joined(separator: " | ") + " |")
            }
            lines.append("")
        }
        if apart > 0 {
            lines += ["\(heading)# Not fixed by a firewall rule", ""]
            lines.append("| Check | Observed | Why no rule | What to do |")
            lines.append("| --- | --- | --- | --- |")
            for failure in rules.unfixable {
                let cells = [
                    RuleText.code(failure.check), failure.observed?.rawValue ?? "–", RuleText.markdown(failure.why),
                    RuleText.markdown(failure.hint),
                ]
                lines.append("| " + cells.joined(separator: " | ") + " |")
            }
            lines.append("")
        }
        return lines
    }
}
