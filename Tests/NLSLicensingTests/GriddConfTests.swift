import NLSProbeCore
import Testing

@testable import NLSLicensing

@Suite struct GriddConfTests {
    @Test func proxySettingsWithCommentsAndOddSpacing() throws {
        let text = """
            # /etc/nvidia/gridd.conf
            FeatureType=1

              ProxyServerAddress =  proxy.corp.example
            ProxyServerPort=3128\r
            ProxyUserName = "svc-license"
            ClientConfigTokenPath=/etc/nvidia/ClientConfigToken/
            SomeFutureKey=whatever
            """
        let conf = GriddConf(text: text, path: "gridd.conf")
        #expect(conf.issues.isEmpty)
        #expect(try conf.proxy() == .url("http://proxy.corp.example:3128"))
        #expect(conf.proxyUser == "svc-license")
        #expect(conf.tokenPath == "/etc/nvidia/ClientConfigToken/")
        #expect(conf.values["FeatureType"] == "1")
    }

    @Test func brokenLinesAreReportedWithTheirNumbers() {
        let conf = GriddConf(text: "FeatureType=1\nthis is not a setting\n=3128\n", path: "g.conf")
        #expect(
            conf.issues.map(\.description) == [
                "g.conf:2: line 2 is not Key=Value (a setting name, '=', then its value); its text is not shown in case it holds a secret",
                "g.conf:3: the line has no setting name before '='",
            ])
    }

    @Test func proxyVariants() throws {
        #expect(try GriddConf(text: "FeatureType=1", path: "g").proxy() == nil)
        #expect(
            try GriddConf(text: "ProxyServerAddress=http://10.0.0.5\nProxyServerPort=8080", path: "g").proxy()
                == .url("http://10.0.0.5:8080"))
        #expect(throws: GriddConfError.self) {
            try GriddConf(text: "ProxyServerAddress=proxy", path: "g").proxy()
        }
        #expect(throws: GriddConfError.self) {
            try GriddConf(text: "ProxyServerAddress=proxy\nProxyServerPort=99999", path: "g").proxy()
        }
    }
}
