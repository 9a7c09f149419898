import Foundation
import Yams

/// Flows and their ports.
extension ProfileValidator {
    mutating func readFlows(
        _ node: Node, defaults: CheckSettings, sources: [SourceGroup], destinations: [DestinationGroup]
    ) -> (flows: [Flow], ports: [PortSpec?], locations: [(line: Int, column: Int)]) {
        guard let sequence = node.sequence else {
            reader.add(node, "'flows' must be a list of flows (each with port, protocol, direction, from, to)")
            return ([], [], [])
        }
        if sequence.isEmpty {
            reader.add(node, "'flows' is empty; a profile needs at least one flow")
        }
        let sourceNames = Set(sources.map(\.name))
        var hostCounts: [String: Int] = [:]
        for group in destinations where hostCounts[group.name] == nil { hostCounts[group.name] = group.hosts.count }
        var flows: [Flow] = []
        var portSpecs: [PortSpec?] = []
        var locations: [(line: Int, column: Int)] = []
        for item in sequence {
            guard let map = reader.mapping(item, allowed: Self.flowKeys, what: "a flow") else { continue }
            let index = flows.count
            let ports = map["port"].flatMap { readPorts($0) }
            if map["port"] == nil {
                reader.add(item, "flow has no 'port'; expected a number, a list [8081, 8084] or a range \"8081-8085\"")
            }
            let proto: FlowProtocol? = reader.enumValue(map, "protocol", in: item, required: true)
            let direction: Direction? = reader.enumValue(map, "direction", in: item, required: true)
            let expect: Expectation = reader.enumValue(map, "expect", in: item, required: false) ?? .allow
            var services: [String] = []
            if let node = map["services"] {
                if node.scalar != nil {
                    services = reader.string(node, what: "a service name or a list of them").map { [$0] } ?? []
                } else {
                    services = reader.list(node, what: "a list of service names").compactMap {
                        reader.string($0, what: "a service name")
                    }
                }
            }
            let from = map["from"].flatMap { reader.string($0, what: "the name of a source or destination group") }
            if map["from"] == nil { reader.add(item, "flow has no 'from'; expected the name of a source group") }
            if let from, let node = map["from"], !sourceNames.contains(from), hostCounts[from] == nil {
                let known = Self.nameList(sources.map(\.name) + destinations.map(\.name))
                reader.add(node, "'from: \(Excerpt.quote(from))' names no group; expected one of: \(known)")
            }
            let to = map["to"].flatMap { reader.string($0, what: "the name of a destination group") }
            if map["to"] == nil { reader.add(item, "flow has no 'to'; expected the name of a destination group") }
            if let to, let node = map["to"], hostCounts[to] == nil {
                let known = Self.nameList(destinations.map(\.name))
                reader.add(node, "'to: \(Excerpt.quote(to))' names no destination group; expected one of: \(known)")
            }
            if let from, let to, from == to, let hosts = hostCounts[to], hosts < 2, let node = map["to"] {
                reader.add(node, "flow from '\(from)' to itself needs at least two hosts in the group to form pairs")
            }
            let flowSettings = settings(map, base: defaults)
            let note = map["note"].flatMap { reader.string($0, what: "a note (text)", allowingLayout: true) }
            if let ports, let proto, let direction, let from, let to {
                flows.append(
                    Flow(
                        index: index, ports: [], portLabel: ports.label, proto: proto, direction: direction,
                        services: services, from: from, to: to, expect: expect, note: note, settings: flowSettings))
                portSpecs.append(ports.spec)
            } else {
                flows.append(
                    Flow(index: index, ports: [], proto: .tcp, from: "", to: ""))  // placeholder keeps indices stable
                portSpecs.append(nil)
            }
            locations.append((item.mark?.line ?? 1, item.mark?.column ?? 1))
        }
        return (flows, portSpecs, locations)
    }

    mutating func readPorts(_ node: Node) -> (spec: PortSpec, label: String)? {
        let expected = "expected a port number \(ProfileLimits.portsText), a list [8081, 8084] or a range \"8081-8085\""
        if let sequence = node.sequence {
            var ports: [Int] = []
            var seen = Set<Int>()
            for item in sequence {
                guard let port = portNumber(item, expected: expected) else { continue }
                if seen.insert(port).inserted {
                    ports.append(port)
                } else {
                    reader.add(item, "port \(port) is listed twice")
                }
            }
            if sequence.isEmpty { reader.add(node, "the port list is empty; \(expected)") }
            return ports.isEmpty ? nil : (.list(ports), ports.map(String.init).joined(separator: ", "))
        }
        guard let text = node.scalar?.string else {
            reader.add(node, expected)
            return nil
        }
        if text.contains("-") {
            let parts = text.split(separator: "-", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            guard parts.count == 2, let low = Self.portText(parts[0]), let high = Self.portText(parts[1]) else {
                reader.add(node, "'\(Excerpt.quote(text))' is not a port range; \(expected)")
                return nil
            }
            guard ProfileLimits.ports.contains(low), ProfileLimits.ports.contains(high) else {
                reader.add(node, "port range '\(text)' is out of range; ports are \(ProfileLimits.portsText)")
                return nil
            }
            guard low <= high else {
                reader.add(node, "port range '\(text)' runs backwards; write the lower port first (\(high)-\(low))")
                return nil
            }
            return (.range(low, high), "\(low)-\(high)")
        }
        guard let port = portNumber(node, expected: expected) else { return nil }
        return (.list([port]), String(port))
    }

    /// A port written as 1 to 6 ASCII digits (so "99999999999999999999" is out of range, not unreadable).
    static func portText(_ text: String) -> Int? {
        guard (1...6).contains(text.utf8.count), text.utf8.allSatisfy({ (0x30...0x39).contains($0) }) else {
            return nil
        }
        return Int(text)
    }

    mutating func portNumber(_ node: Node, expected: String) -> Int? {
        let text = node.scalar?.string.trimmingCharacters(in: .whitespaces) ?? ""
        guard let port = Self.portText(text) else {
            if !text.isEmpty, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }) {
                reader.add(node, "port \(Excerpt.quote(text)) is out of range; ports are \(ProfileLimits.portsText)")
            } else {
                reader.add(node, "'\(Excerpt.quote(text))' is not a port; \(expected)")
            }
            return nil
        }
        guard ProfileLimits.ports.contains(port) else {
            reader.add(node, "port \(port) is out of range; ports are \(ProfileLimits.portsText)")
            return nil
        }
        return port
    }
}
