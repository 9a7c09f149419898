import Foundation
import NLSProbeCore
import NLSProbeRun
import NLSReporting
import Synchronization
import TestSupport
import Testing

/// A whole run through the library, without the binary: real TLS server, real files.
@Suite(.serialized) struct RunSessionTests {
    let folder: TemporaryFolder
    let certificates: TestCertificates

    init() throws {
        (folder, certificates) = try TestCertificates.shared.get()
    }

    /// A profile with an open TLS flow and a refused one, both expected open.
    func profile(tlsPort: UInt16, refusedPort: UInt16) throws -> String {
        try folder.write(
            """
            profile: session-test
            title: a run through the library
            sources:
              local: {}
            destinations:
              server:
                hosts: [localhost]
            flows:
              - {port: \(tlsPort), protocol: tls, direction: egress, from: local, to: server, expect: allow}
              - {port: \(refusedPort), protocol: tcp, direction: egress, from: local, to: server, expect: allow}
            defaults:
              connect_timeout: 1s
              tls_timeout: 2s
              request_timeout: 2s
            """, "session-\(tlsPort).yaml")
    }

    @Test func runsAProfileEndToEndAndWritesItsReports() async throws {
        let server = try TLSServer(
            certificate: certificates.path("good.pem"), key: certificates.path("server.key"), in: folder.url)
        defer { server.stop() }
        let refused = freePort()
        let output = folder.url.appendingPathComponent("session-reports-\(server.port)").path
        var configuration = RunConfiguration(profiles: [try profile(tlsPort: server.port, refusedPort: refused)])
        configuration.settings.caFile = certificates.caFile
        configuration.output = output
        configuration.formats = [.md, .junit]
        var messages: [RunMessage] = []
        let session = try RunSession(configuration, messages: &messages)
        defer { session.shutdown() }
        let finished = Collected<String>()
        let results = try await session.run(events: RunEvents(finished: { finished.append($0.report.profile.name) }))

        #expect(finished.values == ["session-test"])
        let result = try #require(results.first)
        #expect(results.count == 1)
        #expect(result.saved)
        let checks = result.report.checks
        #expect(checks.count == 2)
        let tls = try #require(checks.first { $0.flow.port == Int(server.port) })
        #expect(tls.observed == .open, "\(tls.reason)")
        #expect(tls.verdict == .pass)
        let closed = try #require(checks.first { $0.flow.port == Int(refused) })
        #expect(closed.observed == .refused)
        #expect(closed.verdict == .fail)
        #expect(result.report.summary.verdict == .fail)
        // JSON first, then the formats asked for, all in the output folder, the JSON readable again.
        #expect(result.files.count == 3)
        #expect(result.files.first?.hasSuffix(".json") == true)
        #expect(result.files.contains { $0.hasSuffix(".md") })
        #expect(result.files.contains { $0.hasSuffix(".junit.xml") })
        for file in result.files {
            #expect(file.hasPrefix(output + "/"))
            #expect(FileManager.default.fileExists(atPath: file))
        }
        let reread = try JSONReport.read(path: try #require(result.files.first))
        #expect(reread.checks.map(\.verdict) == checks.map(\.verdict))
    }

    @Test func refusesWhatItCannotUseBeforeSendingAnything() throws {
        var messages: [RunMessage] = []
        var badBind = RunConfiguration(profiles: ["cls"])
        badBind.settings.bind = "not-an-address"
        #expect(throws: RunError.self) { try RunSession(badBind, messages: &messages) }
        do {
            _ = try RunSession(badBind, messages: &messages)
        } catch {
            #expect(error.kind == .usage)
            #expect(error.description.contains("--bind 'not-an-address'"))
        }

        do {
            _ = try RunSession(RunConfiguration(profiles: ["no-such-profile-anywhere"]), messages: &messages)
            Issue.record("an unknown profile was accepted")
        } catch {
            #expect(error.kind == .input)
            #expect(error.description.contains("no-such-profile-anywhere"))
        }

        // An output "folder" that is a file: refused before the engine starts.
        let file = try folder.write("not a folder", "output-is-a-file")
        var blocked = RunConfiguration(profiles: [])
        blocked.profiles = [try profile(tlsPort: 1, refusedPort: 2)]
        blocked.output = file
        do {
            _ = try RunSession(blocked, messages: &messages)
            Issue.record("an output folder that is a file was accepted")
        } catch {
            #expect(error.kind == .host)
            #expect(error.description.contains(file))
        }
    }

    @Test func aGriddConfWithoutProxySaysSoEvenWhenTheRunIsRefused() throws {
        let conf = try folder.write("ServerAddress=dls.example.test\n", "gridd-direct.conf")
        var configuration = RunConfiguration(profiles: ["no-such-profile-anywhere"])
        configuration.settings.griddConf = conf
        var messages: [RunMessage] = []
        #expect(throws: RunError.self) { try RunSession(configuration, messages: &messages) }
        #expect(messages.contains { $0.level == .note && $0.text.contains("sets no ProxyServerAddress") })
    }

    @Test func anInterruptedSessionStartsNoFurtherProfile() async throws {
        var configuration = RunConfiguration(profiles: [try profile(tlsPort: 1, refusedPort: 2)])
        configuration.output = folder.url.appendingPathComponent("interrupted-reports").path
        var messages: [RunMessage] = []
        let session = try RunSession(configuration, messages: &messages)
        defer { session.shutdown() }
        session.interrupt()
        #expect(session.isInterrupted)
        let results = try await session.run()
        #expect(results.isEmpty)
    }
}

/// Values collected from callbacks on any thread.
final class Collected<Value: Sendable>: Sendable {
    private let storage = Mutex<[Value]>([])

    func append(_ value: Value) { storage.withLock { $0.append(value) } }

    var values: [Value] { storage.withLock { $0 } }
}
