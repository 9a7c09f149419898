import Foundation
import TestSupport
import Testing

/// The scheduled-audit deployment files: systemd units and the Kubernetes CronJob.
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

    @Test func cronJobHasWhatACronJobNeeds() throws {
        let script = """
            import sys, yaml
            doc = yaml.safe_load(open(sys.argv[1]))
            assert doc["apiVersion"] == "batch/v1" and doc["kind"] == "CronJob", "not a batch/v1 CronJob"
            spec = doc["spec"]
            assert len(spec["schedule"].split()) == 5, "schedule is not a cron expression"
            pod = spec["jobTemplate"]["spec"]["template"]["spec"]
            assert pod["restartPolicy"] in ("Never", "OnFailure"), "a Job's pods need restartPolicy Never or OnFailure"
            assert pod["hostNetwork"] is True, "the probe must use the node's network"
            container = pod["containers"][0]
            assert container["image"] and container["name"], "container needs a name and an image"
            assert container["args"][0] == "run", "the container runs nlsprobe run"
            print("ok")
            """
        let result = try run(
            [
                "/usr/bin/python3", "-c", script,
                repositoryRoot.appendingPathComponent("deploy/kubernetes/cronjob.yaml").path,
            ],
            allowFailure: true)
        #expect(result.status == 0 && result.output.contains("ok"), "\(result.output)")
    }
}
