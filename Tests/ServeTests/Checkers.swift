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

    /// Every `nlsprobe_*` metric the Grafana dashboard and the alert rules use is one `metrics` has.
    static func deploymentMetricsExist(in metrics: String) throws {
        let families = Set(
            metrics.split(separator: "\n").filter { $0.hasPrefix("# TYPE ") }.compactMap {
                $0.split(separator: " ").dropFirst(2).first.map(String.init)
            })
        for file in ["deploy/grafana/nlsprobe-dashboard.json", "deploy/kubernetes/prometheusrule.yaml"] {
            let text = try String(contentsOf: repositoryRoot.appendingPathComponent(file), encoding: .utf8)
            let used = Set(text.matches(of: /nlsprobe_[a-z_]+/).map { String($0.output) })
            #expect(!used.isEmpty)
            for name in used.sorted() {
                #expect(families.contains(name), "\(file) uses \(name), which the exporter does not serve")
            }
        }
    }
}
