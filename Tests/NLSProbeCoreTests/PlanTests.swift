import Testing

@testable import NLSProbeCore

@Suite struct PlanTests {
    let profile: Profile
    init() throws { profile = try parse(validProfile) }

    func checks(local: [String], selection: SourceSelection = SourceSelection(), resolutions: [String: Resolution])
        -> [PlannedCheck]
    {
        Planner(profile: profile, localAddresses: local.compactMap(IPAddress.init), selection: selection)
            .checks(resolutions: resolutions)
    }

    @Test func everyResolvedAddressIsACheck() {
        let all = checks(
            local: ["198.18.10.5"],
            resolutions: ["cls.example.test": .addresses(["198.18.2.1", "198.18.2.2"], milliseconds: 1)])
        let tls = all.filter { $0.flowIndex == 0 }
        #expect(tls.map(\.address) == ["198.18.2.1", "198.18.2.2"])
        #expect(tls.allSatisfy { $0.sourceAddress == "198.18.10.5" && $0.skipReason == nil })
        #expect(tls[0].id == "clients 198.18.10.5 -> cls cls.example.test 198.18.2.1 tls/443")
    }

    @Test func oneCheckPerLocalSubnet() {
        let all = checks(
            local: ["198.18.10.5", "198.18.11.5", "127.0.0.1"],
            resolutions: ["cls.example.test": .addresses(["198.18.2.1"], milliseconds: 1)])
        #expect(all.filter { $0.flowIndex == 0 }.map(\.sourceAddress) == ["198.18.10.5", "198.18.11.5"])
    }

    @Test func nonLocalGroupIsSkipped() {
        let all = checks(
            local: ["192.0.2.7"], resolutions: ["cls.example.test": .addresses(["198.18.2.1"], milliseconds: 1)])
        let tls = all.filter { $0.flowIndex == 0 }
        #expect(tls.count == 1)
        #expect(tls[0].skipReason?.contains("no address in 198.18.10.0/24, 198.18.11.0/24") == true)
        // The group without subnets is local everywhere and binds nothing.
        #expect(all.filter { $0.flowIndex == 2 }.allSatisfy { $0.skipReason == nil && $0.sourceAddress == nil })
    }

    @Test func selfPairsRunOnlyFromTheLocalNode() {
        let pairs = checks(local: ["198.18.1.10"], resolutions: [:]).filter { $0.flowIndex == 1 }
        // Two ports × two ordered pairs.
        #expect(pairs.count == 4)
        let run = pairs.filter { $0.skipReason == nil }
        #expect(run.map(\.address) == ["198.18.1.11", "198.18.1.11"])
        #expect(run.allSatisfy { $0.sourceAddress == "198.18.1.10" })
        #expect(
            pairs.filter { $0.skipReason != nil }.allSatisfy {
                $0.skipReason?.contains("started by 198.18.1.11, which this host is not") == true
                    && $0.sourceAddress == "198.18.1.11"
            })
    }

    @Test func sourceAndBindOverride() {
        let resolutions: [String: Resolution] = ["cls.example.test": .addresses(["198.18.2.1"], milliseconds: 1)]
        let forced = checks(
            local: ["192.0.2.7"], selection: SourceSelection(group: "clients"), resolutions: resolutions)
        #expect(forced.filter { $0.flowIndex == 0 }.allSatisfy { $0.skipReason == nil && $0.sourceAddress == nil })
        #expect(forced.filter { $0.flowIndex == 2 }.allSatisfy { $0.skipReason?.contains("--source") == true })
        let bound = checks(
            local: [], selection: SourceSelection(bind: IPAddress("198.18.10.9")), resolutions: resolutions)
        #expect(bound.filter { $0.flowIndex == 0 }.allSatisfy { $0.sourceAddress == "198.18.10.9" })
        let outside = checks(
            local: [], selection: SourceSelection(bind: IPAddress("192.0.2.1")), resolutions: resolutions)
        #expect(
            outside.filter { $0.flowIndex == 0 }.allSatisfy {
                $0.skipReason?.contains("outside this group's subnets") == true
            })
    }

    @Test func dnsFailureIsOneCheckPerHost() {
        let all = checks(
            local: ["198.18.10.5"],
            resolutions: ["cls.example.test": .failed(reason: "cls.example.test does not exist", milliseconds: 2)])
        let tls = all.filter { $0.flowIndex == 0 }
        #expect(tls.count == 1)
        #expect(tls[0].address == nil)
        #expect(tls[0].dnsFailure == "cls.example.test does not exist")
    }

    @Test func proxiedFlowsAreOneCheckPerName() {
        let proxied = profile.applying(SettingsOverride(proxy: .url("http://proxy.test:3128")))
        let planner = Planner(profile: proxied, localAddresses: [IPAddress("198.18.10.5")].compactMap { $0 })
        #expect(!planner.hostsToResolve().contains("cls.example.test"))
        let tls = planner.checks(resolutions: [:]).filter { $0.flowIndex == 0 }
        #expect(tls.count == 1)
        #expect(tls[0].address == nil && tls[0].dnsFailure == nil)
    }

    @Test func cidrAndAddresses() {
        #expect(CIDR("198.18.0.0/15")?.contains(IPAddress("198.19.255.1")!) == true)
        #expect(CIDR("198.18.0.0/15")?.contains(IPAddress("198.20.0.1")!) == false)
        #expect(CIDR("2001:db8::/32")?.contains(IPAddress("2001:db8:1::5")!) == true)
        #expect(CIDR("2001:db8::/32")?.contains(IPAddress("198.18.0.1")!) == false)
        #expect(CIDR("10.0.0.0/+8") == nil)
        #expect(IPAddress("::1")?.urlForm == "[::1]")
        #expect(Hostname.isValid("api.cls.licensing.nvidia.com"))
        #expect(!Hostname.isValid("bad_host-.example"))
        #expect(!Hostname.isValid("1.2.3"))
    }
}

@Suite struct VerdictTests {
    @Test(arguments: Observed.allCases)
    func allowVerdicts(_ observed: Observed) {
        let inconclusive: Set<Observed> = [.localError, .proxyUnverified]
        let expected: Verdict = observed == .open ? .pass : inconclusive.contains(observed) ? .inconclusive : .fail
        #expect(Verdict.judge(expect: .allow, observed: observed) == expected)
    }

    @Test func blockVerdicts() {
        for observed in [Observed.refused, .filtered, .unreachable, .proxyDenied, .proxyFailed] {
            #expect(Verdict.judge(expect: .block, observed: observed) == .pass)
        }
        for observed in [Observed.open, .tlsFailed, .tlsUntrusted, .tlsIntercepted, .httpError] {
            #expect(Verdict.judge(expect: .block, observed: observed) == .fail)
        }
        for observed in [Observed.dnsFailed, .localError, .proxyUnreachable, .proxyAuthRequired, .proxyUnverified] {
            #expect(Verdict.judge(expect: .block, observed: observed) == .inconclusive)
        }
    }

    @Test func runVerdict() {
        #expect(Verdict.overall([.pass, .fail, .inconclusive]) == .fail)
        #expect(Verdict.overall([.pass, .inconclusive, .skipped]) == .inconclusive)
        #expect(Verdict.overall([.pass, .skipped]) == .pass)
        #expect(Verdict.overall([.skipped, .skipped]) == .inconclusive)
        #expect(Verdict.overall([]) == .inconclusive)
    }

    @Test func sha256KnownVectors() {
        #expect(SHA256.hex(Array("".utf8)) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }
}
