import Foundation
import TestSupport
import Testing

/// The scheduled-audit deployment files: the systemd timer units (the Kubernetes manifests and the
/// exporter unit are checked by ServeTests/DeploymentTests).
@Suite struct DeployTests {
    @Test func systemdUnitsVerify() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "nlsprobe-units-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for unit in ["nlsprobe-audit.service", "nlsprobe-audit.timer"] {
            // systemd-analyze verify checks that the binary exists: point it at the one just built.
            let text = try String(
                contentsOf: repositoryRoot.appendingPathComponent("deploy/systemd/\(unit)"), encoding: .utf8
            ).replacingOccurrences(of: "/usr/local/bin/nlsprobe", with: nlsprobeExecutable)
            try text.write(to: folder.appendingPathComponent(unit), atomically: true, encoding: .utf8)
        }
        let result = try run(
            [
                "systemd-analyze", "verify", "--man=no", folder.appendingPathComponent("nlsprobe-audit.timer").path,
                folder.appendingPathComponent("nlsprobe-audit.service").path,
            ], allowFailure: true)
        let problems = result.output.split(separator: "\n").filter { $0.contains("nlsprobe-audit") }
        #expect(result.status == 0 && problems.isEmpty, "\(result.output)")
    }
}
