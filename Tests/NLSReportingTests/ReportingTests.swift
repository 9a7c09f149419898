import Foundation
import NLSProbeCore
import TestSupport
import Testing

@testable import NLSReporting

/// A fixed report covering a pass, a silent drop, an untrusted certificate, a DNS failure and a skip.
func fixedReport() -> Report {
    let flows = [
        FlowInfo(
            Flow(
                index: 0, ports: [443], proto: .tls, direction: .egress,
                services: ["License acquisition", "License renewal"], from: "clients", to: "cls")),
        FlowInfo(
            Flow(
                index: 1, ports: [80], proto: .tcp, direction: .egress, services: ["License release"], from: "clients",
                to: "cls")),
        FlowInfo(
            Flow(
                index: 2, ports: [443], proto: .tls, direction: .ingress, services: ["Leasing"], from: "admins",
                to: "dls")),
    ]
    func flow(_ index: Int, _ port: Int, _ proto: FlowProtocol, to: String = "cls", from: String = "clients")
        -> CheckFlow
    {
        CheckFlow(
            index: index, port: port, protocol: proto, direction: flows[index].direction,
            services: flows[index].services,
            from: from, to: to)
    }
    let chain = [
        CertificateInfo(
            subject: "CN=api.cls.licensing.nvidia.com", issuer: "CN=Corporate Inspection CA",
            notBefore: "2026-11-01T00:00:00Z", notAfter: "2027-11-01T00:00:00Z",
            sha256: "b0a7a34cea8365b1aaf9b4dcc8102c90adb1bc9ffe09dcaa2417ca72d704d15a")
    ]
    let checks = [
        CheckRecord(
            id: "clients 198.18.10.15 -> cls api.cls.licensing.nvidia.com 198.18.2.1 tls/443", flow: flow(0, 443, .tls),
            source: SourceRef(group: "clients", address: "198.18.10.15"),
            destination: DestinationRef(group: "cls", host: "api.cls.licensing.nvidia.com", address: "198.18.2.1"),
            expect: .allow, observed: .open, verdict: .pass, reason: "TLS handshake completed (TLSv1.3) in 12 ms",
            attempts: [
                AttemptRecord(observed: .open, reason: "TLS handshake completed (TLSv1.3) in 12 ms", elapsedMs: 14.2)
            ],
            timingsMs: Timings(dns: 1.5, connect: 2.1, tls: 9.9, total: 14.2),
            evidence: Evidence(
                resolvedAddresses: ["198.18.2.1", "198.18.2.2"], localAddress: "198.18.10.15", localPort: 40112,
                tls: TLSEvidence(version: "TLSv1.3", cipher: "TLS_AES_256_GCM_SHA384", alpn: nil, chain: chain))),
        CheckRecord(
            id: "clients 198.18.10.15 -> cls api.cls.licensing.nvidia.com 198.18.2.2 tls/443", flow: flow(0, 443, .tls),
            source: SourceRef(group: "clients", address: "198.18.10.15"),
            destination: DestinationRef(group: "cls", host: "api.cls.licensing.nvidia.com", address: "198.18.2.2"),
            expect: .allow, observed: .filtered, verdict: .fail,
            reason: "no answer to SYN within 3.0 s (all 2 attempts)",
            attempts: [
                AttemptRecord(observed: .filtered, reason: "no answer to SYN within 3.0 s", elapsedMs: 3000.4),
                AttemptRecord(observed: .filtered, reason: "no answer to SYN within 3.0 s", elapsedMs: 3000.6),
            ],
            timingsMs: Timings(dns: 1.5, total: 6001),
            evidence: tracedEvidence(resolvedAddresses: ["198.18.2.1", "198.18.2.2"])),
        CheckRecord(
            id: "clients 198.18.10.15 -> cls api.cls.licensing.nvidia.com 198.18.2.1 tcp/80", flow: flow(1, 80, .tcp),
            source: SourceRef(group: "clients", address: "198.18.10.15"),
            destination: DestinationRef(group: "cls", host: "api.cls.licensing.nvidia.com", address: "198.18.2.1"),
            expect: .allow, observed: .tlsUntrusted, verdict: .fail,
            reason: "the certificate's issuer is not trusted by this host (issuer: CN=Corporate Inspection CA)",
            attempts: [AttemptRecord(observed: .tlsUntrusted, reason: "untrusted", elapsedMs: 20)],
            timingsMs: Timings(dns: 1.5, connect: 1, tls: 18, total: 20),
            evidence: Evidence(
                resolvedAddresses: ["198.18.2.1"], tls: TLSEvidence(version: "TLSv1.2", cipher: nil, chain: chain),
                http: HTTPEvidence(status: 403, server: "squid/5.7", via: "1.1 proxy (squid/5.7)"))),
        CheckRecord(
            id: "clients * -> cls nls.example.invalid tcp/80", flow: flow(1, 80, .tcp),
            source: SourceRef(group: "clients", address: nil),
            destination: DestinationRef(group: "cls", host: "nls.example.invalid", address: nil), expect: .allow,
            observed: .dnsFailed, verdict: .fail,
            reason: "nls.example.invalid does not exist in DNS (NXDOMAIN or no such name)",
            attempts: [AttemptRecord(observed: .dnsFailed, reason: "NXDOMAIN", elapsedMs: 2.5)],
            timingsMs: Timings(dns: 2.5, total: 2.5), evidence: Evidence()),
        CheckRecord(
            id: "admins * -> dls dls.example.test tls/443", flow: flow(2, 443, .tls, to: "dls", from: "admins"),
            source: SourceRef(group: "admins", address: nil),
            destination: DestinationRef(group: "dls", host: "dls.example.test", address: nil), expect: .allow,
            observed: nil,
            verdict: .skipped,
            reason: "this host has no address in 198.18.50.0/24; run nlsprobe from that subnet, or use --source/--bind",
            attempts: [], timingsMs: Timings(total: 0), evidence: Evidence()),
    ]
    return Report(
        tool: ToolInfo(version: "0.1.0"),
        profile: ProfileInfo(
            name: "cls", title: "Licensed clients to the NVIDIA Cloud License Service",
            reference: "NVIDIA License System User Guide",
            digest: "sha256:fde666db0da97ae11db7dad5c518d770ce83c5206c28d3f077d5473ba2627e15"),
        run: RunInfo(
            started: "2026-11-29T10:00:00Z", finished: "2026-11-29T10:00:06Z", host: "probe-01",
            localSources: ["clients"],
            localAddresses: ["198.18.10.15"], proxy: "direct"),
        flows: flows, checks: checks)
}

let goldenFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

/// Compares with the golden file; NLSPROBE_UPDATE_GOLDEN=1 rewrites it instead.
func expectGolden(_ text: String, _ name: String) throws {
    let url = goldenFolder.appendingPathComponent(name)
    if ProcessInfo.processInfo.environment["NLSPROBE_UPDATE_GOLDEN"] == "1" {
        try text.write(to: url, atomically: true, encoding: .utf8)
        return
    }
    let golden = try String(contentsOf: url, encoding: .utf8)
    #expect(
        text == golden, "differs from Golden/\(name); rerun with NLSPROBE_UPDATE_GOLDEN=1 after checking the change")
}

@Suite struct ReportingTests {
    @Test func summaryCounts() {
        let summary = fixedReport().summary
        #expect(summary.total == 5 && summary.pass == 1 && summary.fail == 3 && summary.skipped == 1)
        #expect(summary.verdict == .fail)
    }

    @Test func jsonGoldenAndRoundTrip() throws {
        let data = JSONReport.encode(fixedReport())
        try expectGolden(String(decoding: data, as: UTF8.self), "report.json")
        let decoded = try JSONReport.decode(data, path: "memory")
        #expect(decoded == fixedReport())
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"timings_ms\""))
        #expect(text.contains("\"address\" : null"))
    }

    @Test func markdownGolden() throws {
        let markdown = MarkdownReport.render(fixedReport())
        try expectGolden(markdown, "report.md")
        #expect(
            markdown.contains(
                "| Port | Protocol | Eg-/Ingress | Service | Source | Destination | Expect | Observed | Result |"))
        #expect(markdown.contains("❌ FAIL (1/2 passed)"))
    }

    @Test func jsonMatchesTheSchema() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "nlsprobe-schema-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let reportPath = folder.appendingPathComponent("report.json").path
        try AtomicFile.write(JSONReport.encode(fixedReport()), to: reportPath)
        let schema = goldenFolder.appendingPathComponent("../../../Reports/report.schema.json").standardized.path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [
            "-c",
            "import json,sys,jsonschema; jsonschema.validate(json.load(open(sys.argv[1])), json.load(open(sys.argv[2])))",
            reportPath, schema,
        ]
        let pipe = Pipe()
        process.standardError = pipe
        try process.run()
        let errors = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(
            ChildProcess.waitForExit(process, timeout: 30) == 0, "python3-jsonschema (Debian) is needed: \(errors)")
    }

    @Test func unsupportedSchemaAndGarbage() {
        #expect(throws: ReportError.unsupportedSchema(path: "x.json", found: "other/v9")) {
            try JSONReport.decode(Data("{\"schema\": \"other/v9\"}".utf8), path: "x.json")
        }
        #expect(throws: ReportError.invalid(path: "x.json", detail: "the file is not a JSON object")) {
            try JSONReport.decode(Data("not json".utf8), path: "x.json")
        }
    }

    @Test func atomicWriteLeavesNothingBehindOnFailure() throws {
        #expect(throws: ReportError.self) {
            try AtomicFile.write(Data("x".utf8), to: "/nonexistent-folder/report.json")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "nlsprobe-atomic-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("r.json").path
        try AtomicFile.write(Data("one".utf8), to: path)
        try AtomicFile.write(Data("two".utf8), to: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "two")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["r.json"])
    }
}
