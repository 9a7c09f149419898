import Foundation
import Yams

/// Reads a profile's YAML nodes: scalars, mappings and lists of the expected shape, each problem
/// recorded with its file, line and column instead of stopping at the first.
struct ProfileReader {
    /// The profile file as given, for the issues.
    let file: String
    /// The problems found so far, at most `ProfileLimits.maxIssues`.
    var issues: [ProfileIssue] = []
    /// Problems found beyond `ProfileLimits.maxIssues`.
    var droppedIssues = 0

    /// Creates a reader whose issues name `file`.
    init(file: String) {
        self.file = file
    }

    /// The issues, with a last line counting those not listed.
    var finalIssues: [ProfileIssue] {
        guard droppedIssues > 0 else { return issues }
        return issues + [
            ProfileIssue(
                file: file, line: issues.last?.line ?? 1, column: 1,
                message:
                    "... and \(droppedIssues) more problems (the first \(issues.count) are listed); fix these first")
        ]
    }

    /// The node as a mapping, each key not in `allowed` reported (with the nearest allowed key
    /// when one is close); nil, reported, when the node is not a mapping. `what` names it.
    mutating func mapping(_ node: Node, allowed: [String], what: String) -> Node.Mapping? {
        guard let map = node.mapping else {
            add(node, "expected \(what) as a mapping of keys to values")
            return nil
        }
        for (key, _) in map {
            guard let name = key.scalar?.string, allowed.contains(name) else {
                let name = key.scalar?.string ?? "?"
                let hint = EditDistance.closest(name, in: allowed).map { " (did you mean '\($0)'?)" } ?? ""
                add(
                    key,
                    "unknown key '\(Excerpt.quote(name))' in \(what)\(hint); expected one of: \(allowed.joined(separator: ", "))"
                )
                continue
            }
        }
        return map
    }

    /// The items of a sequence node; empty, reported, when the node is not a sequence.
    mutating func list(_ node: Node, what: String) -> [Node] {
        if let sequence = node.sequence { return Array(sequence) }
        add(node, "expected \(what)")
        return []
    }

    /// The trimmed text of a scalar; control characters (escape sequences) are refused, tabs and
    /// line breaks too unless `allowingLayout` (descriptions and notes).
    mutating func string(_ node: Node, what: String, allowingLayout: Bool = false) -> String? {
        guard let scalar = node.scalar, node.null == nil else {
            add(node, "expected \(what)")
            return nil
        }
        let text = scalar.string.trimmingCharacters(in: .whitespaces)
        if text.isEmpty {
            add(node, "expected \(what), found an empty value")
            return nil
        }
        if let control = Excerpt.firstControl(in: text, allowingLayout: allowingLayout) {
            let code = String(format: "U+%04X", control.value)
            add(node, "expected \(what), found text with the control character \(code); remove it")
            return nil
        }
        return text
    }

    /// The text under `key` (see `string(_:what:allowingLayout:)`); nil, reported at `parent`,
    /// when the key is missing.
    mutating func requiredString(_ map: Node.Mapping, _ key: String, in parent: Node, what: String) -> String? {
        guard let node = map[key] else {
            add(parent, "missing key '\(key)': expected \(what)")
            return nil
        }
        return string(node, what: what)
    }

    /// The case of `T` named under `key`; nil when the key is missing (reported when `required`)
    /// or names no case (reported with the choices).
    mutating func enumValue<T: RawRepresentable & CaseIterable>(
        _ map: Node.Mapping, _ key: String, in parent: Node, required: Bool
    ) -> T? where T.RawValue == String {
        let choices = T.allCases.map(\.rawValue).joined(separator: " | ")
        guard let node = map[key] else {
            if required { add(parent, "flow has no '\(key)'; expected \(choices)") }
            return nil
        }
        guard let text = node.scalar?.string, let value = T(rawValue: text) else {
            add(node, "'\(Excerpt.quote(node.scalar?.string ?? ""))' is not a valid \(key); expected \(choices)")
            return nil
        }
        return value
    }

    /// Records a problem at the node's line and column.
    mutating func add(_ node: Node, _ message: String) {
        add(line: node.mark?.line ?? 1, column: node.mark?.column ?? 1, message)
    }

    /// Records a problem at `line` and `column`; past `ProfileLimits.maxIssues` it is only counted.
    mutating func add(line: Int, column: Int, _ message: String) {
        guard issues.count < ProfileLimits.maxIssues else {
            droppedIssues += 1
            return
        }
        issues.append(ProfileIssue(file: file, line: line, column: column, message: message))
    }
}

extension Node.Mapping {
    /// The key node of `group` inside the mapping found under `key`, for messages about it.
    func keyNode(_ key: String, _ group: String) -> Node? {
        self[key]?.mapping?.first { $0.key.scalar?.string == group }?.key
    }
}
