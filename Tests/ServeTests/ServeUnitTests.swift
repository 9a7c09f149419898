import NLSProbeServe
import Testing

/// The exporter's pieces that need no network: addresses, schedules, merged metrics.
@Suite struct ServeUnitTests {
    @Test func listenAddressesParse() throws {
        #expect(try ListenAddress(parsing: "127.0.0.1:9623") == ListenAddress(host: "127.0.0.1", port: 9623))
        #expect(try ListenAddress(parsing: "0.0.0.0:1") == ListenAddress(host: "0.0.0.0", port: 1))
        #expect(try ListenAddress(parsing: "[::1]:9623") == ListenAddress(host: "::1", port: 9623))
        #expect(try ListenAddress(parsing: "[::1]:9623").description == "[::1]:9623")
        for bad in [
            "", "9623", "localhost:9623", "127.0.0.1", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:-1", "1.2.3:80",
            "256.0.0.1:80", "[::1]9623", "[::1]:", "[]:80", "[example.com]:80", "127.0.0.1:80 ", "１.2.3.4:80",
        ] {
            #expect(throws: ServeError.self, "\(bad)") { try ListenAddress(parsing: bad) }
        }
    }
}
