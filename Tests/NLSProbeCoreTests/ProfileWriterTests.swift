import Foundation
import Testing

@testable import NLSProbeCore

/// `ProfileWriter` is the loader's inverse: what it writes reads back to the same profile.
@Suite struct ProfileWriterTests {
    /// The profile read back from what the writer wrote, with the digest and path of the text.
    func roundTrip(_ profile: Profile, comments: [String] = []) throws -> (text: String, read: Profile) {
        let text = ProfileWriter.yaml(profile, comments: comments)
        return (text, try ProfileLoader().parse(text, file: "written.yaml"))
    }

    /// `profile` as the loader would return it for `text`.
    func expected(_ profile: Profile, for text: String) -> Profile {
        var copy = profile
        copy.digest = "sha256:" + SHA256.hex(Array(text.utf8))
        copy.path = "written.yaml"
        return copy
    }

    @Test func theTestProfileReadsBackTheSame() throws {
        let profile = try parse(validProfile)
        let (text, read) = try roundTrip(profile)
        #expect(read == expected(profile, for: text), "\(text)")
        // Lists stay lists, ranges stay ranges, and only overridden settings are written per flow.
        #expect(read.flows.map(\.portLabel) == ["443", "8081, 8084", "8080-8082"])
        #expect(text.contains("port: [8081, 8084]") && text.contains("port: \"8080-8082\""), "\(text)")
        #expect(text.components(separatedBy: "connect_timeout:").count == 3, "\(text)")
        #expect(ProfileWriter.yaml(read) == text)
    }

    @Test func everySettingAndAwkwardValueReadsBackTheSame() throws {
        let source = #"""
            profile: awkward-1
            title: 'He said "hi" # not a comment: é \ done'
            reference: "[not a list]"
            sources:
              "null":
                description: "line one\nline two\twith a tab"
                subnets: [10.0.0.0/8, 2001:db8::/64]
                placeholder: true
            destinations:
              "123":
                hosts: [host-a.example.test, 198.18.1.10]
              other:
                description: "true"
                hosts: ["yes"]
                placeholder: true
            flows:
              - port: 443
                protocol: https
                direction: egress
                services: ["a: b", "#c"]
                from: "null"
                to: "123"
                expect: block
                note: "- not a list item"
                dns_timeout: 1.5s
                request_timeout: 2m
                proxy: http://proxy.example.test:3128
                proxy_credentials_env: ~
                tls: {verify: false, expected_issuers: ["CN=Example CA, O=Example", sha256-pin]}
                http: {path: /health?x=1}
              - port: [80, 8080]
                protocol: http
                direction: ingress
                from: "123"
                to: other
                attempts: 1
            defaults:
              connect_timeout: 250ms
              tls_timeout: 7s
              attempts: 4
              proxy: environment
              proxy_credentials_env: MY_PROXY_CREDENTIALS
            """#
        let profile = try parse(source)
        let (text, read) = try roundTrip(profile, comments: ["made by a test", "a hostile\nflows: []"])
        #expect(read == expected(profile, for: text), "\(text)")
        #expect(read.flows[0].settings.tls.expectedIssuers == ["CN=Example CA, O=Example", "sha256-pin"])
        #expect(read.flows[0].settings.proxyCredentialsEnv == nil)
        #expect(read.defaults.proxyCredentialsEnv == "MY_PROXY_CREDENTIALS")
        // A comment cannot end itself: its line break is shown, not kept.
        #expect(text.hasPrefix("# made by a test\n# a hostile\\u{A}flows: []\n"), "\(text)")
        // The output is ASCII: é is escaped inside its quotes.
        #expect(text.utf8.allSatisfy { $0 < 0x80 }, "\(text)")
    }

    @Test func aProfileMadeInCodeIsWrittenWithItsDefaults() throws {
        let profile = Profile(
            name: "made", title: "Made in code", sources: [SourceGroup(name: "clients")],
            destinations: [DestinationGroup(name: "servers", hosts: ["s.example.test"])],
            flows: [Flow(index: 0, ports: [443], proto: .tls, from: "clients", to: "servers")])
        let (text, read) = try roundTrip(profile)
        #expect(read == expected(profile, for: text), "\(text)")
        #expect(text.contains("  clients: {}\n"), "\(text)")
        #expect(
            text.hasSuffix("defaults:\n  connect_timeout: 3s\n  tls_timeout: 5s\n  attempts: 2\n  proxy: direct\n"),
            "\(text)")
    }
}
