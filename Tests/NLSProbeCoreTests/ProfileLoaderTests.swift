import Foundation
import TestSupport
import Testing

@testable import NLSProbeCore

let validProfile = """
    profile: lab-test
    title: Test profile
    sources:
      clients:
        subnets: [198.18.10.0/24, 198.18.11.0/24]
      anywhere: {}
    destinations:
      cls:
        hosts: [cls.example.test]
      dls:
        hosts: [198.18.1.10, 198.18.1.11]
    flows:
      - port: 443
        protocol: tls
        direction: egress
        services: [License acquisition]
        from: clients
        to: cls
      - port: [8081, 8084]
        protocol: tcp
        direction: ingress
        from: dls
        to: dls
      - port: "8080-8082"
        protocol: tcp
        direction: egress
        from: anywhere
        to: cls
        expect: block
        connect_timeout: 500ms
    defaults:
      connect_timeout: 2s
      attempts: 3
    """

func parse(_ text: String) throws(ProfileError) -> Profile {
    try ProfileLoader().parse(text, file: "test.yaml")
}

/// The single issue a broken profile produces, as "line:column: message".
func issues(_ text: String) -> [ProfileIssue] {
    do {
        _ = try parse(text)
        return []
    } catch {
        if case .invalid(let issues) = error { return issues }
        return []
    }
}

@Suite struct ProfileLoaderTests {
    @Test func validProfileLoads() throws {
        let profile = try parse(validProfile)
        #expect(profile.name == "lab-test")
        #expect(profile.flows.count == 3)
        #expect(profile.flows[0].ports == [443])
        #expect(profile.flows[0].settings.connectTimeout == 2)
        #expect(profile.flows[0].settings.attempts == 3)
        #expect(profile.flows[1].ports == [8081, 8084])
        #expect(profile.flows[1].portLabel == "8081, 8084")
        #expect(profile.flows[2].ports == [8080, 8081, 8082])
        #expect(profile.flows[2].portLabel == "8080-8082")
        #expect(profile.flows[2].expect == .block)
        #expect(profile.flows[2].settings.connectTimeout == 0.5)
        #expect(profile.sources[0].subnets.count == 2)
        #expect(profile.digest.hasPrefix("sha256:"))
    }

    @Test func builtInProfilesAreValid() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "../../Profiles"
        )
        .standardized
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }
        #expect(names.contains("cls.yaml"))
        for name in names {
            let profile = try ProfileLoader().load(path: folder.appendingPathComponent(name).path)
            #expect(profile.name + ".yaml" == name)
        }
    }

    @Test func clsProfileMatchesTheNLSTable() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "../../Profiles/cls.yaml"
        ).standardized.path
        let profile = try ProfileLoader().load(path: path)
        let rows = profile.flows.map { "\($0.ports) \($0.direction.rawValue) \($0.services)" }
        #expect(
            rows == [
                "[443] egress [\"License acquisition\", \"License renewal\"]", "[80] egress [\"License release\"]",
            ])
        #expect(profile.destinations.first?.hosts == ["api.cls.licensing.nvidia.com"])
    }

    struct Broken: Sendable, CustomStringConvertible {
        let name: String
        let replace: String
        let with: String
        let line: Int
        let column: Int
        let message: String
        var description: String { name }
    }

    static let broken: [Broken] = [
        Broken(
            name: "unknown key", replace: "    direction: ingress\n", with: "    directon: ingress\n", line: 21,
            column: 5, message: "unknown key 'directon' in a flow (did you mean 'direction'?)"),
        Broken(
            name: "bad CIDR", replace: "198.18.11.0/24", with: "198.18.11.0/33", line: 5, column: 31,
            message: "'198.18.11.0/33' is not a subnet in CIDR form"),
        Broken(
            name: "port out of range", replace: "  - port: 443\n", with: "  - port: 70000\n", line: 13, column: 11,
            message: "port 70000 is out of range"),
        Broken(
            name: "backwards range", replace: "\"8080-8082\"", with: "\"8082-8080\"", line: 24, column: 11,
            message: "port range '8082-8080' runs backwards"),
        Broken(
            name: "from names no group", replace: "    from: clients\n", with: "    from: client\n", line: 17,
            column: 11, message: "'from: client' names no group"),
        Broken(
            name: "to names no group", replace: "    to: cls\n    expect", with: "    to: cl\n    expect", line: 28,
            column: 9, message: "'to: cl' names no destination group"),
        Broken(
            name: "bad duration", replace: "connect_timeout: 500ms", with: "connect_timeout: 5x", line: 30, column: 22,
            message: "'5x' is not a duration"),
        Broken(
            name: "bad protocol", replace: "protocol: tls", with: "protocol: udp", line: 14, column: 15,
            message: "'udp' is not a valid protocol; expected tcp | tls | https | http"),
        Broken(
            name: "bad expect", replace: "expect: block", with: "expect: deny", line: 29, column: 13,
            message: "'deny' is not a valid expect; expected allow | block"),
        Broken(
            name: "bad profile id", replace: "profile: lab-test", with: "profile: Lab Test", line: 1, column: 10,
            message: "profile identifier 'Lab Test' must be lowercase letters, digits and '-'"),
        Broken(
            name: "attempts out of range", replace: "attempts: 3", with: "attempts: 0", line: 33, column: 13,
            message: "attempts must be a whole number from 1 to 10"),
        Broken(
            name: "bad host", replace: "cls.example.test", with: "cls..example", line: 9, column: 13,
            message: "'cls..example' is neither a host name nor an IP address"),
        Broken(
            name: "proxy with credentials", replace: "  attempts: 3",
            with: "  attempts: 3\n  proxy: http://user:secret@proxy.test:3128", line: 34, column: 10,
            message: "the proxy URL holds credentials"),
        Broken(
            name: "YAML syntax", replace: "    hosts: [cls.example.test]", with: "    hosts: [cls.example.test",
            line: 10, column: 6, message: "not valid YAML"),
        Broken(
            name: "duplicate key", replace: "  anywhere: {}\n", with: "  anywhere: {}\n  anywhere: {}\n", line: 6,
            column: 3, message: "key 'anywhere' appears twice"),
    ]

    @Test(arguments: broken)
    func brokenProfileNamesLineAndColumn(_ case_: Broken) throws {
        #expect(validProfile.contains(case_.replace), "fixture text to replace is missing")
        let text = validProfile.replacingOccurrences(of: case_.replace, with: case_.with)
        let found = issues(text)
        #expect(found.count >= 1)
        let match = found.first { $0.message.contains(case_.message) }
        #expect(match != nil, "messages were: \(found.map(\.description))")
        if let match {
            #expect(match.line == case_.line, "\(match)")
            #expect(match.column == case_.column, "\(match)")
            #expect(match.description.hasPrefix("test.yaml:\(case_.line):\(case_.column): "))
        }
    }

    @Test func emptyFlowsAndMissingKeys() {
        let text = "profile: x\ntitle: y\ndestinations:\n  d:\n    hosts: [a.test]\nflows: []\n"
        #expect(issues(text).contains { $0.message.contains("'flows' is empty") && $0.line == 6 })
        let missing = "profile: x\ntitle: y\n"
        let found = issues(missing)
        #expect(found.contains { $0.message.contains("missing key 'destinations'") })
        #expect(found.contains { $0.message.contains("missing key 'flows'") })
    }

    @Test func duplicateProfileNames() throws {
        var first = try parse(validProfile)
        first.path = "a.yaml"
        var second = try parse(validProfile)
        second.path = "b.yaml"
        let found = ProfileLoader.duplicateNames([first, second])
        #expect(found.count == 1)
        #expect(
            found.first?.description.hasPrefix("b.yaml:1:10: profile name 'lab-test' is already used by a.yaml") == true
        )
    }

    @Test func unreadableFile() {
        #expect(throws: ProfileError.unreadable(path: "/nonexistent/p.yaml", reason: "no such file")) {
            try ProfileLoader().load(path: "/nonexistent/p.yaml")
        }
    }

    @Test func durations() {
        #expect(Durations.parse("3s") == 3)
        #expect(Durations.parse("500ms") == 0.5)
        #expect(Durations.parse("1.5s") == 1.5)
        #expect(Durations.parse("2m") == 120)
        #expect(Durations.parse("3") == 3)
        #expect(Durations.parse("1h") == 3600)
        #expect(Durations.parse("3x") == nil)
        #expect(Durations.parse("s") == nil)
        #expect(Durations.parse("-1s") == nil)
        #expect(Durations.format(3) == "3.0 s")
        #expect(Durations.format(0.25) == "250 ms")
    }
}

@Suite struct ProfileSchemaTests {
    /// Every built-in profile passes Profiles/profile.schema.json (what editors check as people type).
    @Test func builtInProfilesMatchTheSchema() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "../../Profiles"
        )
        .standardized
        let script = """
            import json, sys, yaml, jsonschema
            schema = json.load(open(sys.argv[1]))
            for path in sys.argv[2:]:
                jsonschema.validate(yaml.safe_load(open(path)), schema)
            """
        let profiles = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }
            .map { folder.appendingPathComponent($0).path }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", script, folder.appendingPathComponent("profile.schema.json").path] + profiles
        let pipe = Pipe()
        process.standardError = pipe
        try process.run()
        let errors = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(
            ChildProcess.waitForExit(process, timeout: 30) == 0,
            "needs python3-yaml and python3-jsonschema (Debian): \(errors)")
    }
}
