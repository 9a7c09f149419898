import Yams

extension ProfileWriter {
    /// The profile as ``yaml(_:comments:)`` writes it, with `flowComments[i]` as `#` comment lines
    /// just above flow `i` (control characters shown as `\u{…}`): where a flow came from, for a
    /// profile made from another document (a change-request table). Flows without comments, and
    /// an empty `flowComments`, give the same text as ``yaml(_:comments:)``.
    public static func yaml(_ profile: Profile, comments: [String] = [], flowComments: [[String]]) -> String {
        guard flowComments.contains(where: { !$0.isEmpty }) else { return yaml(profile, comments: comments) }
        let header = comments.map { "# " + ControlCharacters.neutralised($0) + "\n" }.joined()
        var top: [(Node, Node)] = [(word("profile"), word(profile.name)), (word("title"), text(profile.title))]
        if let reference = profile.reference { top.append((word("reference"), text(reference))) }
        let before: [[(Node, Node)]] = [
            top,
            [(word("sources"), mapping(profile.sources.map { (word($0.name), source($0)) }))],
            [(word("destinations"), mapping(profile.destinations.map { (word($0.name), destination($0)) }))],
        ]
        // Each flow is emitted as a one-item block sequence (`- port: …` at column 0), which YAML
        // reads as the next item of the `flows:` sequence; comment lines may stand between items.
        var flows = "flows:\n"
        for (index, flow) in profile.flows.enumerated() {
            let lines = index < flowComments.count ? flowComments[index] : []
            flows += lines.map { "# " + ControlCharacters.neutralised($0) + "\n" }.joined()
            flows += emit(.sequence(Node.Sequence([self.flow(flow, defaults: profile.defaults)])))
        }
        let after = emit(mapping([(word("defaults"), mapping(defaults(profile.defaults)))]))
        return header + (before.map { emit(mapping($0)) } + [flows, after]).joined(separator: "\n")
    }
}
