import Foundation
import TestSupport
import Testing

/// The outside checkers the tests hand their results to: promtool and python3-jsonschema.
enum Checkers {
    /// The repository's root folder.
    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    /// `promtool check metrics` on `text`: it must pass (promtool comes from Debian's prometheus).
    static func promtoolCheckMetrics(_ text: String, in folder: TemporaryFolder) throws {
        let path = try folder.write(text, "metrics-\(UUID().uuidString).prom")
        let result = try ChildProcess.run(["sh", "-c", "promtool check metrics < \"$0\"", path], allowFailure: true)
        #expect(result.status == 0 && result.output.isEmpty, "promtool check metrics: \(result.output)")
    }

    /// Validates a JSON report against Reports/report.schema.json (python3-jsonschema, Debian).
    static func validateReport(_ json: String, in folder: TemporaryFolder) throws {
        let path = try folder.write(json, "report-\(UUID().uuidString).json")
        let result = try ChildProcess.run(
            [
                "/usr/bin/python3", "-c",
                "import json,sys,jsonschema; jsonschema.validate(json.load(open(sys.argv[1])), json.load(open(sys.argv[2])))",
                path, repositoryRoot.appendingPathComponent("Reports/report.schema.json").path,
            ], allowFailure: true)
        #expect(
            result.status == 0, "the report does not match the schema (python3-jsonschema is needed): \(result.output)")
    }
}
