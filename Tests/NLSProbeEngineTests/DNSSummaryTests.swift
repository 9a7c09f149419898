import Foundation
import NLSProbeCore
import Testing

@testable import NLSProbeEngine

/// The resolver diagnosis in one line, for each way a resolver can fail, and the reason a query
/// that never left the host is given.
struct DNSSummaryTests {
    func query(_ family: String, _ server: String, _ answer: DNSAnswer, error: String? = nil) -> DNSQuery {
        DNSQuery(name: "x.lab.test", family: family, server: server, answer: answer, error: error)
    }

    @Test func eachAnswerIsNamedWithItsResolver() {
        let nx = DNSSummary.text(
            host: "x.lab.test", queries: [query("A", "10.0.0.2", .nxdomain), query("AAAA", "10.0.0.2", .nxdomain)],
            servers: ["10.0.0.2"], wait: 5, hostsFile: false)
        #expect(nx == "resolver 10.0.0.2 answered NXDOMAIN for x.lab.test (A and AAAA)")
        let mixed = DNSSummary.text(
            host: "x.lab.test.", queries: [query("A", "10.0.0.2", .servfail), query("AAAA", "10.0.0.2", .noData)],
            servers: ["10.0.0.2"], wait: 5, hostsFile: false)
        #expect(mixed == "resolver 10.0.0.2 answered SERVFAIL (A), NOERROR with no address (AAAA) for x.lab.test")
        let silent = DNSSummary.text(
            host: "x.lab.test",
            queries: ["10.0.0.2", "10.0.0.3"].flatMap { [query("A", $0, .timeout), query("AAAA", $0, .timeout)] },
            servers: ["10.0.0.2", "10.0.0.3"], wait: 5, hostsFile: false)
        #expect(silent == "resolvers 10.0.0.2, 10.0.0.3 did not answer within 5.0 s")
    }

    @Test func aQueryThatNeverLeftTheHostSaysWhy() {
        let (answer, reason) = ResolverDiagnosis.unsent(ENETUNREACH)
        #expect(answer == .notSent && reason == "network is unreachable (this host has no route to it)")
        #expect(ResolverDiagnosis.unsent(EPERM) == (.notSent, "this host's own firewall refused to send it"))
        let text = DNSSummary.text(
            host: "x.lab.test",
            queries: [
                query("A", "10.0.0.2", .notSent, error: reason), query("AAAA", "10.0.0.2", .notSent, error: reason),
            ],
            servers: ["10.0.0.2"], wait: 5, hostsFile: false)
        #expect(text == "resolver 10.0.0.2 could not be asked: network is unreachable (this host has no route to it)")
    }
}
