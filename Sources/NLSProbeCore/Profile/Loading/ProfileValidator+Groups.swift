import Foundation
import Yams

/// Source and destination groups.
extension ProfileValidator {
    mutating func readSources(_ node: Node) -> [SourceGroup] {
        guard let map = node.mapping else {
            reader.add(node, "'sources' must be a mapping of group names to groups")
            return []
        }
        var groups: [SourceGroup] = []
        for (key, value) in map {
            guard let name = groupName(key) else { continue }
            var group = SourceGroup(name: name)
            if value.null != nil {
                groups.append(group)
                continue
            }
            guard
                let fields = reader.mapping(
                    value, allowed: ["description", "subnets", "placeholder"], what: "source group '\(name)'")
            else { continue }
            group.description = fields["description"].flatMap {
                reader.string($0, what: "a description (text)", allowingLayout: true)
            }
            group.placeholder = fields["placeholder"].map { placeholder($0) } ?? false
            if let subnets = fields["subnets"] {
                for item in reader.list(subnets, what: "a list of subnets in CIDR form") {
                    guard let text = reader.string(item, what: "a subnet in CIDR form such as 10.10.20.0/24") else {
                        continue
                    }
                    if text.utf8.count <= 64, let cidr = CIDR(text), text.contains("/") {
                        group.subnets.append(cidr)
                    } else {
                        reader.add(
                            item,
                            "'\(Excerpt.quote(text))' is not a subnet in CIDR form; expected an address and a prefix length such as 10.10.20.0/24 or 2001:db8::/64"
                        )
                    }
                }
            }
            groups.append(group)
        }
        return groups
    }

    /// `placeholder: true|false`: the group still holds the example subnets or hosts it shipped with.
    mutating func placeholder(_ node: Node) -> Bool {
        guard let value = node.bool else {
            reader.add(
                node,
                "placeholder must be true or false (true marks subnets or hosts that are examples to replace; delete the key once they are yours)"
            )
            return false
        }
        return value
    }

    mutating func readDestinations(_ node: Node) -> [DestinationGroup] {
        guard let map = node.mapping, !map.isEmpty else {
            reader.add(node, "'destinations' must be a non-empty mapping of group names to groups with hosts")
            return []
        }
        var groups: [DestinationGroup] = []
        for (key, value) in map {
            guard let name = groupName(key) else { continue }
            guard
                let fields = reader.mapping(
                    value, allowed: ["description", "hosts", "placeholder"], what: "destination group '\(name)'")
            else { continue }
            var group = DestinationGroup(name: name, hosts: [])
            group.description = fields["description"].flatMap {
                reader.string($0, what: "a description (text)", allowingLayout: true)
            }
            group.placeholder = fields["placeholder"].map { placeholder($0) } ?? false
            guard let hosts = fields["hosts"] else {
                reader.add(
                    value, "destination group '\(name)' has no 'hosts'; expected a list of host names or IP addresses")
                continue
            }
            let items = reader.list(hosts, what: "a list of host names or IP addresses")
            if items.isEmpty && hosts.sequence != nil {
                reader.add(
                    hosts, "destination group '\(name)' lists no hosts; expected at least one host name or IP address")
            }
            var seen = Set<String>()
            for item in items {
                guard let host = reader.string(item, what: "a host name or IP address") else { continue }
                if Hostname.isValid(host) || (host.utf8.count <= 64 && IPAddress(host) != nil) {
                    if seen.insert(host).inserted {
                        group.hosts.append(host)
                    } else {
                        reader.add(item, "host '\(host)' is listed twice in group '\(name)'")
                    }
                } else {
                    reader.add(item, "'\(Excerpt.quote(host))' is neither a host name nor an IP address")
                }
            }
            groups.append(group)
        }
        return groups
    }

    mutating func groupName(_ key: Node) -> String? {
        let name = key.scalar?.string ?? ""
        guard ProfileLimits.isValidGroupName(name) else {
            if name.utf8.count > ProfileLimits.maxGroupNameLength {
                reader.add(
                    key,
                    "group name is \(name.utf8.count) characters long, more than \(ProfileLimits.maxGroupNameLength); shorten it"
                )
            } else {
                reader.add(
                    key,
                    "group name '\(Excerpt.quote(name))' must be letters, digits, '-', '_' or '.', starting with a letter or digit"
                )
            }
            return nil
        }
        return name
    }

    /// Group names for a message: the first few, and how many there are in all.
    static func nameList(_ names: [String]) -> String {
        let shown = names.prefix(10).joined(separator: ", ")
        return names.count > 10 ? "\(shown), ... (\(names.count) groups)" : shown
    }
}
