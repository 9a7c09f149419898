import Foundation
import NLSProbeCore

/// The source and destination groups a table's cells become: one group per distinct set of
/// subnets or hosts, named after the defined name the cell used (or after the cell's text),
/// every name unique.
struct TableGroups {
    var sources: [SourceGroup] = []
    var destinations: [DestinationGroup] = []
    private var sourceKeys: [[String]: String] = [:]
    private var destinationKeys: [[String]: String] = [:]
    private var taken = Set<String>()

    /// The source group of these subnets, made on first use.
    mutating func source(subnets: [CIDR], preferred: String, description: String?) -> String {
        let key = subnets.map(\.description).sorted()
        if let name = sourceKeys[key] { return name }
        let name = unique(preferred)
        sourceKeys[key] = name
        sources.append(SourceGroup(name: name, description: description, subnets: subnets))
        return name
    }

    /// The destination group of these hosts, made on first use.
    mutating func destination(hosts: [String], preferred: String, description: String?) -> String {
        let key = hosts.sorted()
        if let name = destinationKeys[key] { return name }
        let name = unique(preferred)
        destinationKeys[key] = name
        destinations.append(DestinationGroup(name: name, description: description, hosts: hosts))
        return name
    }

    /// The destination group holding exactly these hosts, if one was made.
    func existingDestination(hosts: [String]) -> String? { destinationKeys[hosts.sorted()] }

    /// The hosts of a destination group.
    func hosts(of name: String) -> [String] { destinations.first { $0.name == name }?.hosts ?? [] }

    /// `preferred` as a group name (letters, digits, '.', '_', '-'; at most 64), made unique with "-2", "-3"….
    private mutating func unique(_ preferred: String) -> String {
        let base = Self.slug(preferred)
        var name = base
        var counter = 2
        while taken.contains(name) {
            let suffix = "-\(counter)"
            name = String(base.prefix(ProfileLimits.maxGroupNameLength - suffix.count)) + suffix
            counter += 1
        }
        taken.insert(name)
        return name
    }

    /// A group name made of text: lower case, runs of other characters as one '-'.
    static func slug(_ text: String) -> String {
        var out = ""
        for scalar in text.lowercased().unicodeScalars {
            let keep = ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "." || scalar == "_"
            if keep {
                out.unicodeScalars.append(scalar)
            } else if !out.hasSuffix("-") {
                out += "-"
            }
        }
        let trimmed = out.trimmingCharacters(in: CharacterSet(charactersIn: "-._"))
        let cut = String(trimmed.prefix(ProfileLimits.maxGroupNameLength)).trimmingCharacters(
            in: CharacterSet(charactersIn: "-._"))
        return cut.isEmpty ? "group" : cut
    }
}
