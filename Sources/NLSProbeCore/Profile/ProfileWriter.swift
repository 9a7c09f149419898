import Foundation
import Yams

/// Writes a profile as YAML (format v1) that `ProfileLoader` reads back to the same profile, built
/// as a Yams node tree and emitted by Yams: the inverse of the loader.
///
/// Free text (title, reference, descriptions, hosts, services, notes) is always a double-quoted
/// scalar, so a value holding a newline, a quote or a '#' stays one value and cannot add keys;
/// the output is ASCII (anything else is escaped). Names, keywords and durations are plain
/// scalars unless YAML would read them as something other than text.
public enum ProfileWriter {
    /// The profile as YAML: each line of `comments` as a `#` comment (control characters shown as
    /// `\u{…}`), then profile, title and reference, sources, destinations, flows and defaults,
    /// a blank line between sections. `defaults` always names the connect and TLS timeouts, the
    /// attempts and the proxy, and the other settings when they differ from the built-in ones;
    /// a flow names only the settings that differ from the profile's defaults.
    public static func yaml(_ profile: Profile, comments: [String] = []) -> String {
        let header = comments.map { "# " + ControlCharacters.neutralised($0) + "\n" }.joined()
        var top: [(Node, Node)] = [(word("profile"), word(profile.name)), (word("title"), text(profile.title))]
        if let reference = profile.reference { top.append((word("reference"), text(reference))) }
        let sections: [[(Node, Node)]] = [
            top,
            [(word("sources"), mapping(profile.sources.map { (word($0.name), source($0)) }))],
            [(word("destinations"), mapping(profile.destinations.map { (word($0.name), destination($0)) }))],
            [(word("flows"), .sequence(Node.Sequence(profile.flows.map { flow($0, defaults: profile.defaults) })))],
            [(word("defaults"), mapping(defaults(profile.defaults)))],
        ]
        return header + sections.map { emit(mapping($0)) }.joined(separator: "\n")
    }

    // MARK: Sections

    static func source(_ group: SourceGroup) -> Node {
        var pairs: [(Node, Node)] = []
        if let description = group.description { pairs.append((word("description"), text(description))) }
        if !group.subnets.isEmpty {
            pairs.append((word("subnets"), list(group.subnets.map { word($0.description) })))
        }
        if group.placeholder { pairs.append((word("placeholder"), boolean(true))) }
        return mapping(pairs, style: pairs.isEmpty ? .flow : .any)
    }

    static func destination(_ group: DestinationGroup) -> Node {
        var pairs: [(Node, Node)] = []
        if let description = group.description { pairs.append((word("description"), text(description))) }
        pairs.append((word("hosts"), list(group.hosts.map(text))))
        if group.placeholder { pairs.append((word("placeholder"), boolean(true))) }
        return mapping(pairs)
    }

    static func flow(_ flow: Flow, defaults: CheckSettings) -> Node {
        var pairs: [(Node, Node)] = [
            (word("port"), ports(flow)), (word("protocol"), word(flow.proto.rawValue)),
            (word("direction"), word(flow.direction.rawValue)),
            (word("services"), list(flow.services.map(text))), (word("from"), word(flow.from)),
            (word("to"), word(flow.to)), (word("expect"), word(flow.expect.rawValue)),
        ]
        if let note = flow.note { pairs.append((word("note"), text(note))) }
        pairs += settings(flow.settings, base: defaults)
        return mapping(pairs)
    }

    /// A range label ("8081-8085") as text, one port as a number, several as a list of numbers.
    static func ports(_ flow: Flow) -> Node {
        let bounds = flow.portLabel.split(separator: "-", omittingEmptySubsequences: false)
        if bounds.count == 2, bounds.allSatisfy({ Int($0.trimmingCharacters(in: .whitespaces)) != nil }) {
            return text(flow.portLabel)
        }
        if flow.ports.count == 1 { return number(flow.ports[0]) }
        if flow.ports.isEmpty { return word(flow.portLabel) }
        return list(flow.ports.map(number))
    }

    /// The settings `defaults` writes: the four a person most often edits, always; the rest when
    /// they differ from the built-in defaults.
    static func defaults(_ settings: CheckSettings) -> [(Node, Node)] {
        let always: [(Node, Node)] = [
            (word("connect_timeout"), duration(settings.connectTimeout)),
            (word("tls_timeout"), duration(settings.tlsTimeout)),
            (word("attempts"), number(settings.attempts)), (word("proxy"), word(settings.proxy.description)),
        ]
        let written: Set<String> = ["connect_timeout", "tls_timeout", "attempts", "proxy"]
        return always
            + self.settings(settings, base: CheckSettings()).filter { key, _ in
                !written.contains(key.string ?? "")
            }
    }

    /// The keys of `settings` whose values differ from `base`, in the loader's key order.
    static func settings(_ settings: CheckSettings, base: CheckSettings) -> [(Node, Node)] {
        var pairs: [(Node, Node)] = []
        func add(_ key: String, _ value: Node) { pairs.append((word(key), value)) }
        if settings.connectTimeout != base.connectTimeout { add("connect_timeout", duration(settings.connectTimeout)) }
        if settings.tlsTimeout != base.tlsTimeout { add("tls_timeout", duration(settings.tlsTimeout)) }
        if settings.dnsTimeout != base.dnsTimeout { add("dns_timeout", duration(settings.dnsTimeout)) }
        if settings.requestTimeout != base.requestTimeout { add("request_timeout", duration(settings.requestTimeout)) }
        if settings.attempts != base.attempts { add("attempts", number(settings.attempts)) }
        if settings.proxy != base.proxy { add("proxy", word(settings.proxy.description)) }
        if settings.trace != base.trace { add("trace", word(settings.trace.rawValue)) }
        if settings.proxyCredentialsEnv != base.proxyCredentialsEnv {
            add("proxy_credentials_env", settings.proxyCredentialsEnv.map(word) ?? null())
        }
        var tls: [(Node, Node)] = []
        if settings.tls.verify != base.tls.verify { tls.append((word("verify"), boolean(settings.tls.verify))) }
        if settings.tls.caFile != base.tls.caFile {
            tls.append((word("ca_file"), settings.tls.caFile.map(text) ?? null()))
        }
        if settings.tls.expectedIssuers != base.tls.expectedIssuers {
            tls.append((word("expected_issuers"), list(settings.tls.expectedIssuers.map(text))))
        }
        if !tls.isEmpty { add("tls", mapping(tls)) }
        if settings.httpPath != base.httpPath { add("http", mapping([(word("path"), text(settings.httpPath))])) }
        return pairs
    }

    // MARK: Nodes

    /// Free text: always double-quoted.
    static func text(_ value: String) -> Node { Node(value, Tag(.str), .doubleQuoted) }

    /// A name, keyword or duration: plain when YAML reads it back as text, double-quoted otherwise
    /// ("true", "null" and "10" stay text).
    static func word(_ value: String) -> Node {
        let plain = Node(value, .implicit, .plain)
        return Resolver.default.resolveTag(of: plain) == .str ? Node(value, Tag(.str), .plain) : text(value)
    }

    static func number(_ value: Int) -> Node { Node(String(value), Tag(.int), .plain) }
    static func boolean(_ value: Bool) -> Node { Node(value ? "true" : "false", Tag(.bool), .plain) }
    static func null() -> Node { Node("null", Tag(.null), .plain) }
    static func duration(_ seconds: Double) -> Node { word(Durations.profileText(seconds)) }
    static func list(_ items: [Node]) -> Node { .sequence(Node.Sequence(items, Tag(.seq), .flow)) }

    static func mapping(_ pairs: [(Node, Node)], style: Node.Mapping.Style = .any) -> Node {
        .mapping(Node.Mapping(pairs, Tag(.map), style))
    }

    /// One section as block YAML, lines unbounded in width, non-ASCII escaped. Emitting a tree of
    /// well-formed nodes fails only when libyaml cannot allocate memory; the text then says so as
    /// a comment (a loader reading it reports an empty profile).
    static func emit(_ node: Node) -> String {
        do {
            return try Yams.serialize(node: node, width: -1, allowUnicode: false)
        } catch {
            return "# the profile could not be written as YAML: \(ControlCharacters.neutralised("\(error)"))\n"
        }
    }
}
