import Foundation
import NLSChangeRequest
import NLSProbeCore
import NLSReporting
import Testing

@Suite struct RuleDeriverTests {
    func derive(_ checks: [CheckRecord]) -> RuleSet {
        let report = ReportFixtures.report(checks)
        return RuleDeriver.derive(from: report) { Hints.hint(for: $0, profile: report.profile) }
    }

    @Test func allowRulesAggregatePortsIntoRangesAndDestinationsPerSource() {
        var checks: [CheckRecord] = []
        for port in [8081, 8082, 8083, 8085, 443] {
            for destination in ["10.0.0.11", "10.0.0.10"] {
                checks.append(
                    ReportFixtures.check(destination: destination, port: port, proto: .tcp, observed: .filtered))
            }
        }
        checks.append(ReportFixtures.check(destination: "10.0.0.12", port: 443, observed: .filtered))
        checks.append(ReportFixtures.check(destination: "10.0.0.10", port: 80, observed: .open))
        let rules = derive(checks)
        #expect(rules.unfixable.isEmpty)
        #expect(rules.rules.count == 2)
        let first = rules.rules[0]
        #expect(first.action == .allow)
        #expect(first.source == "10.10.20.0/24")
        #expect(first.destinations == ["10.0.0.10", "10.0.0.11"])
        #expect(PortRange.text(first.ports) == "443, 8081-8083, 8085")
        #expect(first.checks.count == 10)
        #expect(first.inTheWay == ["no answer: a silent drop on the path"])
        let second = rules.rules[1]
        #expect(second.destinations == ["10.0.0.12"])
        #expect(PortRange.text(second.ports) == "443")
        #expect(rules.fixedChecks == 11)
    }

    @Test func denyRuleForABlockCellThatConnected() {
        let rules = derive([
            ReportFixtures.check(port: 22, proto: .tcp, expect: .block, observed: .open),
            ReportFixtures.check(port: 23, proto: .tcp, expect: .block, observed: .filtered),
        ])
        #expect(rules.rules.count == 1)
        #expect(rules.rules[0].action == .deny)
        #expect(PortRange.text(rules.rules[0].ports) == "22")
        #expect(rules.rules[0].inTheWay == ["nothing: the path is open (open)"])
    }

    @Test func theWireNamesWhatIsInTheWay() {
        let icmp = WireEvidence(
            synsSent: 1, answer: .icmp, answerFrom: "10.10.20.1",
            icmp: "destination unreachable: administratively prohibited (ICMP 3/13)",
            icmpAdminProhibited: true)
        let injected = WireEvidence(
            synsSent: 1, answer: .reset, answerFrom: "10.0.0.10", answerTtl: 64, injectedReset: true, resetTtl: 64,
            pathTtl: 63)
        let rules = derive([
            ReportFixtures.check(port: 80, proto: .tcp, observed: .unreachable, wire: icmp),
            ReportFixtures.check(port: 8082, observed: .refused, wire: injected),
        ])
        #expect(rules.rules.count == 1)
        #expect(PortRange.text(rules.rules[0].ports) == "80, 8082")
        #expect(
            rules.rules.flatMap(\.inTheWay).sorted() == [
                "a firewall's reject: ICMP destination unreachable: administratively prohibited (ICMP 3/13) from 10.10.20.1",
                "a reset injected by a firewall or middlebox (its TTL 64, the path's 63)",
            ])
        #expect(rules.rules.allSatisfy { $0.unconfirmed.isEmpty })
    }

    /// Without capture: the check's own socket names the ICMP sender, the path trace names the hop
    /// that drops or resets.
    @Test func theSocketAndTheTraceNameWhatIsInTheWayWithoutCapture() {
        let icmp = ICMPEvidence(
            version: 4, type: 3, code: 13, from: "10.10.20.1", text: "administratively prohibited",
            adminProhibited: true)
        let dropped = PathEvidence(
            hops: [], stop: .dropped, stopHop: 1, stopAddress: "10.10.20.1",
            summary: "dropped after hop 1 (10.10.20.1); hops 1 10.10.20.1, 2 *", probes: 2, durationMs: 1000)
        let reset = PathEvidence(
            hops: [], stop: .reset, stopHop: 1, stopAddress: "10.10.20.1",
            summary: "reset by hop 1 (10.10.20.1), not by 10.0.0.10: it arrived with TTL 64; hops 1 10.10.20.1",
            probes: 2, durationMs: 10)
        let rules = derive([
            ReportFixtures.check(port: 80, proto: .tcp, observed: .unreachable, icmp: icmp),
            ReportFixtures.check(port: 443, observed: .filtered, path: dropped),
            ReportFixtures.check(port: 8082, observed: .refused, path: reset),
        ])
        #expect(
            rules.rules.flatMap(\.inTheWay).sorted() == [
                "a firewall's reject: ICMP administratively prohibited (ICMP 3/13) from 10.10.20.1",
                "a reset from a device on the path: reset by hop 1 (10.10.20.1), not by 10.0.0.10: it arrived with TTL 64",
                "no answer: a silent drop on the path (dropped after hop 1 (10.10.20.1))",
            ])
        #expect(rules.rules.allSatisfy { $0.unconfirmed.isEmpty })
    }

    @Test func aResetOfUnknownOriginIsARuleMarkedUnconfirmed() {
        let rules = derive([ReportFixtures.check(port: 8082, observed: .refused)])
        #expect(rules.rules.count == 1)
        #expect(rules.rules[0].unconfirmed.first?.contains("run with --capture") == true)
    }

    @Test func proxyDeniedIsARuleForTheProxysACLNotForNft() throws {
        let rules = derive([
            ReportFixtures.check(
                destination: nil, port: 443, observed: .proxyDenied, proxy: "http://proxy.example:3128")
        ])
        #expect(rules.rules.count == 1)
        #expect(rules.rules[0].enforcedAt == "proxy http://proxy.example:3128")
        #expect(rules.rules[0].destinations == ["dls-a.example.com"])
        let nft = RulesNftables.render(rules, target: try NftTarget(table: "inet filter", chain: "forward"))
        #expect(!nft.contains("insert rule"))
        #expect(nft.contains("# rule 1 is not written here: it belongs to proxy http://proxy.example:3128's ACL"))
    }

    /// Each failure a rule cannot fix is listed apart with its hint, never made into a rule.
    @Test(arguments: [
        (Observed.dnsFailed, UnfixableFailure.Kind.dns, NLSProbeCore.Expectation.allow),
        (.tlsUntrusted, .untrustedCertificate, .allow),
        (.tlsIntercepted, .tlsInterception, .allow),
        (.proxyAuthRequired, .proxyCredentials, .allow),
        (.tlsFailed, .tlsHandshake, .allow),
        (.httpError, .httpError, .allow),
        (.proxyUnreachable, .proxyUnreachable, .allow),
        (.proxyFailed, .proxyFailed, .allow),
        (.proxyUnverified, .proxyUnverified, .allow),
        (.localError, .localError, .allow),
        (.dnsFailed, .dns, .block),
        (.proxyAuthRequired, .proxyCredentials, .block),
    ])
    func failuresNoRuleFixesAreListedApart(
        observed: Observed, kind: UnfixableFailure.Kind, expect: NLSProbeCore.Expectation
    ) {
        let proxy =
            [.proxyAuthRequired, .proxyFailed, .proxyUnreachable, .proxyUnverified].contains(observed)
            ? "http://proxy.example:3128" : nil
        let rules = derive([ReportFixtures.check(expect: expect, observed: observed, proxy: proxy)])
        #expect(rules.rules.isEmpty)
        #expect(rules.unfixable.count == 1)
        #expect(rules.unfixable.first?.kind == kind)
        #expect(rules.unfixable.first?.hint.isEmpty == false)
        #expect(
            !RulesNftables.render(rules, target: Self.target).split(separator: "\n").contains { $0.hasPrefix("insert") }
        )
    }

    /// A reset with the TTL of the server's own SYN-ACK (seen on another port of the same address)
    /// came from the server: nothing listens there; no rule.
    @Test func aServerThatIsDownIsListedApart() {
        let synAck = WireEvidence(
            synsSent: 1, answer: .synAck, answerFrom: "10.0.0.10", answerTtl: 63, clientHelloSent: true,
            serverHello: true)
        let ownReset = WireEvidence(synsSent: 1, answer: .reset, answerFrom: "10.0.0.10", answerTtl: 63, resetTtl: 63)
        let rules = derive([
            ReportFixtures.check(port: 443, observed: .open, wire: synAck),
            ReportFixtures.check(port: 8082, observed: .refused, wire: ownReset),
        ])
        #expect(rules.rules.isEmpty)
        #expect(rules.unfixable.map(\.kind) == [.serviceDown])
        #expect(rules.unfixable[0].hint.contains("Check the service is up"))
    }

    static let target: NftTarget = {
        do { return try NftTarget(table: "ip lab", chain: "forward") } catch { fatalError("\(error)") }
    }()

    @Test func nftInsertsDeniesAboveAllowsAtTheHeadOfTheChain() throws {
        let rules = derive([
            ReportFixtures.check(port: 8081, proto: .tcp, observed: .filtered),
            ReportFixtures.check(port: 8082, proto: .tcp, observed: .filtered),
            ReportFixtures.check(
                source: "admins", subnet: "10.10.30.7/24", address: "10.10.30.7", port: 22, proto: .tcp, expect: .block,
                observed: .open),
        ])
        let nft = RulesNftables.render(rules, target: Self.target)
        let commands = nft.split(separator: "\n").filter { $0.hasPrefix("insert") }
        #expect(
            commands == [
                #"insert rule ip lab forward ip saddr 10.10.20.0/24 ip daddr 10.0.0.10 tcp dport 8081-8082 counter accept comment "nlsprobe rule 1""#,
                #"insert rule ip lab forward ip saddr 10.10.30.0/24 ip daddr 10.0.0.10 tcp dport 22 counter drop comment "nlsprobe rule 2""#,
            ])
    }

    @Test func nftTargetsAreChecked() {
        #expect(throws: NftTarget.Invalid.self) { try NftTarget(table: "filter", chain: "forward") }
        #expect(throws: NftTarget.Invalid.self) { try NftTarget(table: "bridge filter", chain: "forward") }
        #expect(throws: NftTarget.Invalid.self) { try NftTarget(table: "inet filter", chain: "forward; flush ruleset") }
        #expect(throws: NftTarget.Invalid.self) { try NftTarget(table: "inet fil\"ter", chain: "forward") }
    }

    @Test func untrustedTextIsEscapedInEveryFormat() throws {
        let hostile = ReportFixtures.check(
            host: "x.example.com", port: 8082, observed: .filtered,
            services: ["=cmd|' /C calc'!A0", "a\nflush ruleset"])
        let rules = derive([hostile])
        let csv = RulesCSV.render(rules)
        #expect(csv.contains("\"'=cmd|' /C calc'!A0, a flush ruleset\""))
        let nft = RulesNftables.render(rules, target: Self.target)
        #expect(!nft.split(separator: "\n").contains { $0.hasPrefix("flush") })
        let markdown = RulesMarkdown.render(rules)
        #expect(markdown.contains("=cmd\\|' /C calc'!A0"))
        let json = try JSONSerialization.jsonObject(with: Data(RulesJSON.render(rules).utf8)) as? [String: Any]
        #expect((json?["rules"] as? [Any])?.count == 1)
    }

    @Test func theReportSectionIsNilForAPassingReportAndListsRulesOtherwise() {
        let passing = ReportFixtures.report([ReportFixtures.check(observed: .open)])
        #expect(RulesSection.markdown(for: passing) { Hints.hint(for: $0) } == nil)
        let failing = ReportFixtures.report([
            ReportFixtures.check(port: 8082, observed: .filtered),
            ReportFixtures.check(port: 443, observed: .dnsFailed),
        ])
        let section = RulesSection.markdown(for: failing) { Hints.hint(for: $0) }
        #expect(
            section?.hasPrefix("## Rules to request\n\n1 rule would make 1 failed check pass. 1 failure is not") == true
        )
        #expect(section?.contains("### Not fixed by a firewall rule") == true)
        #expect(section?.contains("| 1 | allow | 10.10.20.0/24 | 10.0.0.10 (dls-a.example.com) | tcp/8082 |") == true)
    }
}
