import NLSProbeCore

/// Names a change request uses for subnets and hosts ("Client", "DLS nodes"), defined in a table
/// of their own (`Name | Subnets/hosts`) or on the command line (`--define vdi=10.1.0.0/16`).
/// Names match without regard to case, spaces, '-' or '_': "DLS nodes" is "dls-nodes".
public struct NameDefinitions: Sendable {
    /// One defined name.
    public struct Definition: Sendable, Equatable {
        /// The name as written.
        public var name: String
        /// What it stands for.
        public var members: [Endpoint]
        /// Where it was defined ("FILE line 12", "--define #1").
        public var origin: String
    }

    /// The definitions, in the order they were made.
    public private(set) var definitions: [Definition] = []

    /// No names.
    public init() {}

    /// The key a name is matched by.
    public static func key(_ name: String) -> String {
        name.lowercased().split { $0.isWhitespace || $0 == "-" || $0 == "_" }.joined(separator: " ")
    }

    /// The definition of `name`, if any.
    public func lookup(_ name: String) -> Definition? {
        let key = Self.key(name)
        return definitions.first { Self.key($0.name) == key }
    }

    /// The defined name nearest a misspelt one.
    public func suggestion(for name: String) -> String? {
        NameSuggestion.closest(Self.key(name), in: definitions.map { Self.key($0.name) }).flatMap { key in
            definitions.first { Self.key($0.name) == key }?.name
        }
    }

    /// What is wrong with a definition: with its name, or with one of its members (`offset`: the
    /// member's position in the members' text, in characters from 0).
    public enum Problem: Sendable, Equatable {
        /// The name is empty or already defined, or it is defined as nothing.
        case name(String)
        /// A member is neither a subnet, an address nor a host name.
        case member(String, offset: Int)
    }

    /// Adds a definition; returns the problem when the name is taken or empty, or a member is not
    /// a subnet, an address or a host name.
    public mutating func define(name: String, membersText: String, origin: String) -> Problem? {
        guard !name.isEmpty else { return .name("the name is empty; write the name the change request uses") }
        if let existing = lookup(name) {
            return .name("'\(Excerpt.quote(name))' is already defined (\(existing.origin)); define each name once")
        }
        let items = Self.items(membersText)
        guard !items.isEmpty else {
            return .name(
                "'\(Excerpt.quote(name))' is defined as nothing; list its subnets (10.1.0.0/16), addresses or host names"
            )
        }
        var members: [Endpoint] = []
        for item in items {
            if lookup(item.text) != nil || Self.key(item.text) == Self.key(name) {
                return .member(
                    "'\(Excerpt.quote(item.text))' is a defined name; a definition lists subnets, addresses or host names, not other names",
                    offset: item.offset)
            }
            guard let endpoint = Endpoint.literal(item.text, singleLabelHosts: true) else {
                return .member(
                    "'\(Excerpt.quote(item.text))' is neither a subnet (CIDR), an address nor a host name",
                    offset: item.offset)
            }
            if !members.contains(endpoint) { members.append(endpoint) }
        }
        definitions.append(Definition(name: name, members: members, origin: origin))
        return nil
    }

    /// The items of a cell: separated by ',', ';' or line breaks; an item of several words each
    /// of which is a subnet, an address or a host name is split at the spaces too. `offset` is
    /// the item's position in the cell, in characters from 0.
    static func items(_ text: String) -> [(text: String, offset: Int)] {
        var items: [(text: String, offset: Int)] = []
        var current = ""
        var start = 0
        var position = 0
        func flush() {
            let leading = current.prefix { $0.isWhitespace }.count
            let trimmed = current.trimmingCharacters(in: .whitespaces)
            if !trimmed.isEmpty {
                let words = trimmed.split(whereSeparator: \.isWhitespace).map(String.init)
                if words.count > 1, words.allSatisfy({ Endpoint.literal($0) != nil }) {
                    var offset = start + leading
                    var rest = Substring(trimmed)
                    for word in words {
                        if let range = rest.range(of: word) {
                            offset = start + leading + trimmed.distance(from: trimmed.startIndex, to: range.lowerBound)
                            rest = rest[range.upperBound...]
                        }
                        items.append((word, offset))
                    }
                } else {
                    items.append((trimmed, start + leading))
                }
            }
            current = ""
        }
        for character in text {
            if ",;\n".contains(character) {
                flush()
                start = position + 1
            } else {
                current.append(character)
            }
            position += 1
        }
        flush()
        return items
    }
}
