import Foundation
import NLSProbeCore

/// The rows made into groups and flows.
extension ProfileAssembly {
    /// The profile of the rows read (empty of flows when none could be read).
    mutating func profile() -> TableProfile {
        let fileName = (file as NSString).lastPathComponent
        var groups = TableGroups()
        var destinations: [String] = []
        var sides: [(from: String, to: String)] = []
        // Destinations first, so that a source that lists the same hosts (DLS nodes to DLS nodes)
        // is that destination group initiating, as node-to-node flows are written.
        for row in rows {
            let hosts = row.destination.endpoints.compactMap(\.destinationHost)
            destinations.append(
                groups.destination(
                    hosts: hosts, preferred: row.destination.name ?? row.destination.cell.text,
                    description: description(row.destination)))
        }
        for (row, to) in zip(rows, destinations) {
            let endpoints = row.source.endpoints
            let from: String
            if endpoints.contains(where: { if case .host = $0 { true } else { false } }) {
                let hosts = endpoints.compactMap(\.destinationHost)
                from =
                    groups.existingDestination(hosts: hosts)
                    ?? groups.destination(
                        hosts: hosts, preferred: row.source.name ?? row.source.cell.text,
                        description: description(row.source))
            } else if let same = groups.existingDestination(hosts: endpoints.compactMap(\.destinationHost)),
                endpoints.allSatisfy({ $0.destinationHost != nil }), same == to
            {
                from = same
            } else {
                from = groups.source(
                    subnets: endpoints.compactMap(\.sourceSubnet), preferred: row.source.name ?? row.source.cell.text,
                    description: description(row.source))
            }
            sides.append((from, to))
        }
        var flows: [Flow] = []
        var flowComments: [[String]] = []
        for (row, side) in zip(rows, sides) {
            if side.from == side.to && groups.hosts(of: side.to).count < 2 {
                issue(
                    row.source.cell,
                    "a flow from '\(Excerpt.quote(row.source.cell.text))' to itself needs at least two hosts to form pairs"
                )
                continue
            }
            for part in parts(row) {
                for spec in Self.specs(part.ranges) {
                    flows.append(
                        Flow(
                            index: flows.count, ports: spec.ports, portLabel: spec.label, proto: part.proto,
                            direction: row.direction, services: row.services, from: side.from, to: side.to,
                            expect: row.expect, note: row.note))
                    flowComments.append(["\(fileName) line \(row.line): \(row.text)"] + part.remarks)
                }
            }
        }
        let base = (fileName as NSString).deletingPathExtension
        let name = options.name ?? Self.profileName(base)
        let title = options.title ?? "Change request \(fileName)"
        var comments = [
            "Made by nlsprobe profile from-table from \(fileName): \(rows.count) row\(rows.count == 1 ? "" : "s"), \(flows.count) flow\(flows.count == 1 ? "" : "s").",
            "Each flow names the row it came from. Edit the table and make the profile again rather than editing this file.",
        ]
        for definition in definitions.definitions {
            comments.append(
                "\(definition.name) = \(definition.members.map(\.description).joined(separator: ", ")) (\(definition.origin))"
            )
        }
        if !ignoredColumns.isEmpty {
            comments.append("Columns ignored: \(ignoredColumns.joined(separator: ", ")).")
        }
        let profile = Profile(
            name: name, title: title, reference: "change request table \(fileName)", sources: groups.sources,
            destinations: groups.destinations, flows: flows)
        return TableProfile(profile: profile, comments: comments, flowComments: flowComments)
    }

    func description(_ side: TableRow.Side) -> String? {
        side.name.map { name in side.origin.map { "\(name) (defined in \($0))" } ?? name }
    }

    /// A row's protocol parts: TCP on the ports of `--tls-ports` is checked with TLS.
    func parts(_ row: TableRow) -> [(proto: FlowProtocol, ranges: [ClosedRange<Int>], remarks: [String])] {
        guard row.proto.tcpMayBeTLS else { return [(row.proto.proto, row.ports, [])] }
        let ports = row.portSet
        let tls = ports.intersection(options.tlsPorts)
        if tls.isEmpty {
            let remark = options.tlsPorts.isEmpty ? [] : ["TCP: checked as tcp (not a port of --tls-ports)"]
            return [(.tcp, row.ports, remark)]
        }
        let tlsRanges = PortList.ranges(of: tls.sorted())
        let tlsPart = (
            FlowProtocol.tls, tlsRanges, ["TCP on \(PortList.text(tlsRanges)): checked with TLS (--tls-ports)"]
        )
        if tls.count == ports.count { return [tlsPart] }
        let rest = PortList.ranges(of: ports.subtracting(tls).sorted())
        return [tlsPart, (.tcp, rest, ["TCP on \(PortList.text(rest)): checked as tcp (not ports of --tls-ports)"])]
    }

    /// Port ranges as flows' ports: one range, or a list (when 64 ports or fewer), or else one
    /// flow per range and one for the single ports.
    static func specs(_ ranges: [ClosedRange<Int>]) -> [(ports: [Int], label: String)] {
        if ranges.count == 1, let range = ranges.first, range.count > 1 {
            return [(Array(range), "\(range.lowerBound)-\(range.upperBound)")]
        }
        let total = ranges.reduce(0) { $0 + $1.count }
        if total <= 64 {
            let ports = ranges.flatMap { Array($0) }
            return [(ports, ports.map(String.init).joined(separator: ", "))]
        }
        var specs: [(ports: [Int], label: String)] = []
        let singles = ranges.filter { $0.count == 1 }.map(\.lowerBound)
        if !singles.isEmpty { specs.append((singles, singles.map(String.init).joined(separator: ", "))) }
        for range in ranges where range.count > 1 {
            specs.append((Array(range), "\(range.lowerBound)-\(range.upperBound)"))
        }
        return specs
    }

    /// A profile identifier made of a file name: lower case, '-' for the rest, at most 64.
    static func profileName(_ base: String) -> String {
        var out = ""
        for scalar in base.lowercased().unicodeScalars {
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
                out.unicodeScalars.append(scalar)
            } else if !out.isEmpty && !out.hasSuffix("-") {
                out += "-"
            }
        }
        let cut = String(out.prefix(ProfileLimits.maxNameLength)).trimmingCharacters(
            in: CharacterSet(charactersIn: "-"))
        return cut.isEmpty ? "change-request" : cut
    }
}
