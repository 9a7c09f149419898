import Foundation
import TestSupport
import Testing

/// The deployment files: the Kubernetes manifests (kubernetes-validate, from PyPI in the venv
/// scripts/test.sh makes), the alert rules (promtool check rules and promtool test rules), the
/// systemd unit (systemd-analyze verify) and the Grafana dashboard. Under CI=true every tool must
/// be there; elsewhere a missing tool skips its test and says how to get it.
@Suite struct DeploymentTests {
    static let root = Checkers.repositoryRoot
    static var inCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// kubernetes-validate: the venv's (scripts/test.sh), or one on PATH.
    static var kubernetesValidate: String? {
        let venv = root.appendingPathComponent(".venv-tools/bin/kubernetes-validate").path
        if FileManager.default.isExecutableFile(atPath: venv) { return venv }
        let found = try? ChildProcess.run(["sh", "-c", "command -v kubernetes-validate"], allowFailure: true)
        guard let found, found.status == 0 else { return nil }
        return found.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static var manifests: [String] {
        let folder = root.appendingPathComponent("deploy/kubernetes")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted().map { folder.appendingPathComponent($0).path }
    }

    @Test(
        .enabled(
            if: inCI || kubernetesValidate != nil,
            "needs kubernetes-validate: run scripts/test.sh (it makes .venv-tools) or pip install kubernetes-validate"))
    func manifestsPassKubernetesValidate() throws {
        let tool = try #require(Self.kubernetesValidate, "kubernetes-validate is missing (scripts/test.sh installs it)")
        let manifests = Self.manifests
        #expect(
            manifests.map { ($0 as NSString).lastPathComponent } == [
                "daemonset.yaml", "job.yaml", "prometheusrule.yaml", "service.yaml", "servicemonitor.yaml",
            ])
        let result = try ChildProcess.run([tool, "--strict"] + manifests, allowFailure: true)
        #expect(result.status == 0, "\(result.output)")
        for resource in ["daemonset/nlsprobe-exporter", "service/nlsprobe-exporter", "job/nlsprobe-check"] {
            #expect(result.output.contains("passed for resource \(resource)"), "\(result.output)")
        }
    }

    @Test func manifestsHangTogether() throws {
        // What kubernetes-validate cannot know: the custom resources' fields, and that the pieces
        // select each other, run serve from the licensing ConfigMap, non-root and without capabilities.
        let script = """
            import sys, yaml
            docs = {}
            for path in sys.argv[1:]:
                for doc in yaml.safe_load_all(open(path)):
                    docs[doc["kind"]] = doc
            ds = docs["DaemonSet"]; pod = ds["spec"]["template"]["spec"]
            labels = ds["spec"]["template"]["metadata"]["labels"]
            assert ds["spec"]["selector"]["matchLabels"].items() <= labels.items(), "selector"
            assert pod["hostNetwork"] is True and pod["dnsPolicy"] == "ClusterFirstWithHostNet", "host network"
            assert pod["nodeSelector"] == {"nvidia.com/gpu.present": "true"}, "GPU nodes"
            assert any(t["key"] == "nvidia.com/gpu" and t["operator"] == "Exists" for t in pod["tolerations"]), "taint"
            assert pod["securityContext"]["runAsNonRoot"] is True, "non-root"
            c = pod["containers"][0]
            assert c["args"][0] == "serve", "runs serve"
            mount = next(m for m in c["volumeMounts"] if m["name"] == "licensing")
            assert mount["readOnly"] is True, "read-only licensing mount"
            volume = next(v for v in pod["volumes"] if v["name"] == "licensing")
            assert volume["configMap"]["name"] == "licensing-config", "the GPU Operator's ConfigMap"
            base = mount["mountPath"]
            assert f"--gridd-conf={base}/gridd.conf" in c["args"], "gridd.conf from the ConfigMap"
            assert f"--token={base}/client_configuration_token.tok" in c["args"], "token from the ConfigMap"
            assert any(a.startswith("--listen=") for a in c["args"]), "an explicit --listen"
            sc = c["securityContext"]
            assert sc["capabilities"] == {"drop": ["ALL"]} and sc["allowPrivilegeEscalation"] is False, "no capabilities"
            assert sc["readOnlyRootFilesystem"] is True, "read-only root"
            for kind in ("requests", "limits"):
                assert set(c["resources"][kind]) == {"cpu", "memory"}, kind
            port = c["ports"][0]
            for probe, path in (("livenessProbe", "/healthz"), ("readinessProbe", "/readyz")):
                assert c[probe]["httpGet"] == {"path": path, "port": port["name"]}, probe
            svc = docs["Service"]
            assert svc["spec"]["selector"].items() <= labels.items(), "service selects the pods"
            assert svc["spec"]["ports"][0]["targetPort"] == port["name"], "service port"
            sm = docs["ServiceMonitor"]
            assert sm["apiVersion"] == "monitoring.coreos.com/v1"
            assert sm["spec"]["selector"]["matchLabels"].items() <= svc["metadata"]["labels"].items(), "monitor selects the service"
            assert sm["spec"]["namespaceSelector"]["matchNames"] == [svc["metadata"]["namespace"]]
            ep = sm["spec"]["endpoints"][0]
            assert ep["port"] == svc["spec"]["ports"][0]["name"] and ep["path"] == "/metrics", "endpoint"
            rule = docs["PrometheusRule"]
            assert rule["apiVersion"] == "monitoring.coreos.com/v1" and rule["spec"]["groups"], "rules"
            job = docs["Job"]; jpod = job["spec"]["template"]["spec"]
            assert jpod["restartPolicy"] == "Never" and jpod["hostNetwork"] is True, "one-shot job"
            assert jpod["containers"][0]["args"][0] == "run", "the job runs once"
            print("ok")
            """
        let result = try ChildProcess.run(["/usr/bin/python3", "-c", script] + Self.manifests, allowFailure: true)
        #expect(result.status == 0 && result.output.contains("ok"), "\(result.output)")
    }

    @Test func alertRulesPassPromtool() throws {
        let folder = try TemporaryFolder()
        let rules = folder.url.appendingPathComponent("rules.yaml").path
        let extract = try ChildProcess.run(
            [
                "/usr/bin/python3", "-c",
                "import sys, yaml; yaml.safe_dump({'groups': yaml.safe_load(open(sys.argv[1]))['spec']['groups']}, open(sys.argv[2], 'w'))",
                Self.root.appendingPathComponent("deploy/kubernetes/prometheusrule.yaml").path, rules,
            ], allowFailure: true)
        #expect(extract.status == 0, "\(extract.output)")
        let check = try ChildProcess.run(["promtool", "check", "rules", rules], allowFailure: true)
        #expect(check.status == 0 && check.output.contains("3 rules found"), "\(check.output)")
        // The alerts fire when they should: a path down 15 minutes (not 10), an audit three
        // intervals old, an exporter not scraped.
        let tests = try folder.write(
            """
            rule_files: [rules.yaml]
            evaluation_interval: 1m
            tests:
              - interval: 1m
                input_series:
                  - series: 'nlsprobe_check_success{instance="gpu-1",profile="cls",host="api.cls.licensing.nvidia.com",port="443",expect="allow",observed="timeout"}'
                    values: '0x30'
                  - series: 'nlsprobe_check_success{instance="gpu-2",profile="cls",host="api.cls.licensing.nvidia.com",port="443",expect="allow",observed="open"}'
                    values: '1x30'
                  - series: 'nlsprobe_run_finished_timestamp_seconds{instance="gpu-1",profile="cls"}'
                    values: '0x60'
                  - series: 'nlsprobe_serve_interval_seconds{instance="gpu-1"}'
                    values: '300x60'
                  - series: 'up{job="nlsprobe-exporter",instance="gpu-3"}'
                    values: '0x30'
                alert_rule_test:
                  - eval_time: 10m
                    alertname: NLSLicensePathDown
                    exp_alerts: []
                  - eval_time: 16m
                    alertname: NLSLicensePathDown
                    exp_alerts:
                      - exp_labels: {severity: critical, instance: gpu-1, profile: cls, host: api.cls.licensing.nvidia.com, port: "443"}
                        exp_annotations:
                          summary: "License path api.cls.licensing.nvidia.com:443 down from gpu-1"
                          description: "Every nlsprobe check of api.cls.licensing.nvidia.com:443 (profile cls) from node gpu-1 has failed for 15 minutes. The node's /report.md says why (refused, timeout, TLS, proxy) and what to do."
                  - eval_time: 20m
                    alertname: NLSProbeAuditStale
                    exp_alerts: []
                  - eval_time: 30m
                    alertname: NLSProbeAuditStale
                    exp_alerts:
                      - exp_labels: {severity: warning, instance: gpu-1, profile: cls}
                        exp_annotations:
                          summary: "nlsprobe audit on gpu-1 is stale"
                          description: "The last complete run of profile cls on gpu-1 finished 30m 0s ago, more than three intervals. See the pod's log and nlsprobe_serve_errors_total."
                  - eval_time: 16m
                    alertname: NLSProbeExporterDown
                    exp_alerts:
                      - exp_labels: {severity: warning, job: nlsprobe-exporter, instance: gpu-3}
                        exp_annotations:
                          summary: "nlsprobe exporter on gpu-3 is not scraped"
                          description: "Prometheus has not scraped the nlsprobe exporter on gpu-3 for 15 minutes."
            """, "rules.test.yaml")
        let test = try ChildProcess.run(["promtool", "test", "rules", tests], allowFailure: true)
        #expect(test.status == 0, "\(test.output)")
    }

    @Test func exporterUnitVerifies() throws {
        let folder = try TemporaryFolder()
        // systemd-analyze verify checks that the binary exists: point it at the one just built.
        let text = try String(
            contentsOf: Self.root.appendingPathComponent("deploy/systemd/nlsprobe-exporter.service"), encoding: .utf8
        ).replacingOccurrences(of: "/usr/local/bin/nlsprobe", with: ServeProcess.executable)
        #expect(text.contains(" serve "))
        let unit = try folder.write(text, "nlsprobe-exporter.service")
        let result = try ChildProcess.run(["systemd-analyze", "verify", "--man=no", unit], allowFailure: true)
        let problems = result.output.split(separator: "\n").filter { $0.contains("nlsprobe-exporter") }
        #expect(result.status == 0 && problems.isEmpty, "\(result.output)")
    }

    @Test func dashboardIsGrafanaJSON() throws {
        let data = try Data(
            contentsOf: Self.root.appendingPathComponent("deploy/grafana/nlsprobe-dashboard.json"))
        let dashboard = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let panels = try #require(dashboard["panels"] as? [[String: Any]])
        #expect(panels.count >= 4)
        #expect(
            panels.contains { $0["type"] as? String == "table" }
                && panels.contains { $0["type"] as? String == "timeseries" })
        for panel in panels {
            let targets = try #require(panel["targets"] as? [[String: Any]])
            for target in targets {
                let expr = try #require(target["expr"] as? String)
                #expect(expr.contains("nlsprobe_"), "\(expr)")
            }
        }
    }
}
