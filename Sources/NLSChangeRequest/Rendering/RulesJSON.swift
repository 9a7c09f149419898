import Foundation

/// The rules as JSON (snake_case keys, sorted): `profile`, `run_started`, `host`, `rules`,
/// `unfixable`.
public enum RulesJSON {
    /// The JSON text.
    public static func render(_ rules: RuleSet) -> String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            return String(decoding: try encoder.encode(rules), as: UTF8.self) + "\n"
        } catch {
            // Encoding strings, numbers and arrays does not fail; say so if it ever does.
            return "{\"error\": \"the rules could not be encoded as JSON\"}\n"
        }
    }
}
