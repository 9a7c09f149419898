import Foundation
import NLSProbeCore

/// Profiles built from a client configuration token: exactly the endpoints and ports the licensed
/// client will use.
public enum TokenProfile {
    /// The destination groups a token names: one per distinct port set, all its nodes in it.
    static func groups(_ token: ClientToken) -> [(name: String, hosts: [String], ports: [ClientToken.ServicePort])] {
        var groups: [(name: String, hosts: [String], ports: [ClientToken.ServicePort])] = []
        for node in token.nodes {
            if let index = groups.firstIndex(where: { $0.ports == node.ports }) {
                if !groups[index].hosts.contains(node.url) { groups[index].hosts.append(node.url) }
            } else {
                // A group name: ASCII letters, digits and '-', starting with a letter or digit, short.
                let filtered = String(
                    (node.portSetName ?? "service").lowercased().filter {
                        $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-")
                    }.drop { $0 == "-" }.prefix(32))
                let base = filtered.isEmpty ? "service" : filtered
                groups.append((groups.isEmpty ? base : "\(base)-\(groups.count + 1)", [node.url], node.ports))
            }
        }
        return groups
    }

    /// A profile for a token: every node, every port of its port set (TLS), plus port 80 for release.
    public static func profile(from token: ClientToken, source: String = "token") -> Profile {
        let onPremises = token.nodes.contains { ($0.portSetName ?? "").uppercased().contains("DLS") }
        let direction: Direction = onPremises ? .ingress : .egress
        // As the built-in profiles: a failed check says where on the path it stops.
        var defaults = CheckSettings()
        defaults.trace = .onFailure
        var destinations: [DestinationGroup] = []
        var flows: [Flow] = []
        for group in groups(token) {
            destinations.append(
                DestinationGroup(
                    name: group.name, description: "nodes of the service instance in \(source)", hosts: group.hosts))
            var ports: [(port: Int, services: [String])] = []
            for entry in group.ports {
                if let index = ports.firstIndex(where: { $0.port == entry.port }) {
                    if !ports[index].services.contains(entry.service) { ports[index].services.append(entry.service) }
                } else {
                    ports.append((entry.port, [entry.service]))
                }
            }
            if !ports.contains(where: { $0.port == 80 }) { ports.append((80, ["release"])) }
            for entry in ports {
                flows.append(
                    Flow(
                        index: flows.count, ports: [entry.port], proto: entry.port == 80 ? .tcp : .tls,
                        direction: direction, services: entry.services, from: "clients", to: group.name,
                        note: entry.port == 80 && !entry.services.contains("quick_release")
                            && entry.services == ["release"]
                            ? "port 80 (license release) is not in the token; NVIDIA documents it for release" : nil,
                        settings: defaults))
            }
        }
        let instance = token.serviceInstance.map { String($0.prefix(8)) } ?? "instance"
        let name = "token-" + instance.lowercased().filter { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
        var profile = Profile(
            name: name, title: "Licensed clients to the service instance of \(source)",
            reference: "client configuration token \(source)",
            sources: [SourceGroup(name: "clients", description: "Licensed clients")], destinations: destinations,
            flows: flows, defaults: defaults)
        profile.digest = "sha256:" + SHA256.hex(Array(yaml(profile, source: source).utf8))
        return profile
    }

    /// The profile with every destination group's hosts replaced by the token's nodes.
    public static func fill(_ profile: Profile, with token: ClientToken) -> Profile {
        var copy = profile
        var seen = Set<String>()
        let hosts = token.nodes.map(\.url).filter { seen.insert($0).inserted }
        for index in copy.destinations.indices {
            copy.destinations[index].hosts = hosts
            copy.destinations[index].placeholder = false
        }
        return copy
    }

    /// A profile as YAML a user can edit and commit (written by `ProfileWriter`), headed by
    /// comments that say where it comes from; `source` names the token file.
    public static func yaml(_ profile: Profile, source: String) -> String {
        ProfileWriter.yaml(
            profile,
            comments: [
                "yaml-language-server: $schema=profile.schema.json",
                "Made by `nlsprobe profile from-token \(source)`: the endpoints and ports the licensed client uses.",
                "Add `subnets:` to the clients group to bind each client subnet's address.",
            ])
    }
}
