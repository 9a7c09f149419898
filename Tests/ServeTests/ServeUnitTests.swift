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

    @Test func schedulesStayWithinTheirJitter() throws {
        let schedule = try ServeSchedule(interval: "5m", jitter: nil)
        #expect(schedule.interval == 300 && schedule.jitter == 30)
        var generator = SystemRandomNumberGenerator()
        let delays = (0..<1000).map { _ in schedule.nextDelay(using: &generator) }
        #expect(delays.allSatisfy { (270...330).contains($0) })
        #expect(Set(delays).count > 100, "the waits are not spread")
        #expect(try ServeSchedule(interval: "1s", jitter: "0").nextDelay() == 1)
        for (interval, jitter) in [("0s", nil), ("-5m", nil), ("25h", nil), ("soon", nil), ("5m", "3m"), ("5m", "-1s")]
        {
            #expect(throws: ServeError.self, "\(interval) \(jitter ?? "")") {
                try ServeSchedule(interval: interval, jitter: jitter)
            }
        }
    }

    @Test func expositionsMergeIntoOneFamilyEach() {
        let first = """
            # HELP a_metric A.
            # TYPE a_metric gauge
            a_metric{profile="one"} 1
            # HELP b_metric B.
            # TYPE b_metric gauge
            b_metric{profile="one"} 2

            """
        let second = """
            # HELP a_metric A.
            # TYPE a_metric gauge
            a_metric{profile="two"} 3
            # HELP c_total C.
            # TYPE c_total counter
            c_total 4

            """
        #expect(
            PrometheusExposition.merge([first, second]) == """
                # HELP a_metric A.
                # TYPE a_metric gauge
                a_metric{profile="one"} 1
                a_metric{profile="two"} 3
                # HELP b_metric B.
                # TYPE b_metric gauge
                b_metric{profile="one"} 2
                # HELP c_total C.
                # TYPE c_total counter
                c_total 4

                """)
        #expect(PrometheusExposition.merge([]).isEmpty)
    }
}
