import Foundation
import NLSProbeCore
import Testing

@testable import NLSLicensing

@Suite struct HostileGriddConfTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("h2-gridd-\(UUID().uuidString)").path

    func write(_ data: Data, _ name: String = "gridd.conf") throws -> String {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/" + name
        try data.write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Every message the file produces: line issues and the proxy error.
    func messages(_ text: String) -> [String] {
        let conf = GriddConf(text: text, path: "gridd.conf")
        var result = conf.issues.map(\.description)
        do {
            _ = try conf.proxy()
        } catch {
            result.append(error.description)
        }
        return result
    }

    func proxyError(_ text: String) -> GriddConfError? {
        do {
            _ = try GriddConf(text: text, path: "g").proxy()
            return nil
        } catch {
            return error
        }
    }

    @Test func aHundredMegabytesOfNewlinesIsRefusedWithoutReading() throws {
        let path = try write(Data())
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: 100 * 1024 * 1024)
        try handle.close()
        #expect(
            throws: GriddConfError.unreadable(
                path: path,
                reason:
                    "it is 104857600 bytes or more, larger than the limit of \(GriddConf.maxFileBytes) bytes for this kind of file"
            )
        ) { try GriddConf.load(path: path) }
    }

    @Test func specialFilesAreRefused() throws {
        #expect(throws: GriddConfError.self) { try GriddConf.load(path: "/dev/zero") }
        #expect(throws: GriddConfError.self) { try GriddConf.load(path: "/tmp") }
        do {
            _ = try GriddConf.load(path: "/dev/zero")
        } catch {
            #expect(error.description.contains("a character device, not a regular file"))
        }
        #expect(throws: GriddConfError.unreadable(path: "/nonexistent/gridd.conf", reason: "no such file")) {
            try GriddConf.load(path: "/nonexistent/gridd.conf")
        }
    }

    @Test func aLongBadLineIsNeverEchoed() throws {
        let line = String(repeating: "A", count: 1_000_000)
        for text in [
            line, "\(line)=1", "ProxyServerAddress=\(line)\nProxyServerPort=3128",
            "ProxyServerAddress=p\nProxyServerPort=\(line)",
        ] {
            let found = messages(text)
            #expect(!found.isEmpty)
            #expect(found.allSatisfy { $0.count < 400 }, "\(found.map(\.count))")
        }
    }

    @Test func escapeSequencesNeverReachAMessage() {
        let found = messages("ProxyServerAddress=proxy\u{1B}]0;owned\u{07}\nProxyServerPort=3128\n\u{1B}[2J\n")
        #expect(found.count == 2)
        #expect(found.allSatisfy { !$0.contains("\u{1B}") && !$0.contains("\u{07}") })
    }

    @Test func noMessageEchoesAPassword() {
        let secret = "S3cr3tPW"
        let texts = [
            "ProxyServerAddress=http://user:\(secret)@proxy.example.com\nProxyServerPort=3128",
            "ProxyServerAddress=user:\(secret)@proxy.example.com\nProxyServerPort=3128",
            "ProxyServerAddress=http://user:\(secret)@\nProxyServerPort=3128",
            "ProxyPassword \(secret)",
            "ProxyPassword: \(secret)",
            "\(secret)",
            "my pass \(secret)=x",
            "ProxyServerAddress=http://user:\(secret)@proxy.example.com:3128\nProxyServerPort=3128",
            "ProxyServerAddress=http://user:\(secret)@proxy.example.com\nProxyServerPort=\(secret)",
            // A password with '#', '/' or '?' is still a password, not a path, a host or a port.
            "ProxyServerAddress=http://user:P#\(secret)@proxy.example.com\nProxyServerPort=3128",
            "ProxyServerAddress=http://user:P/\(secret)@proxy.example.com\nProxyServerPort=3128",
            "ProxyServerAddress=http://user:P?\(secret)@proxy.example.com\nProxyServerPort=3128",
            "ProxyServerAddress=user:1#\(secret)@proxy.example.com\nProxyServerPort=3128",
        ]
        for text in texts {
            let found = messages(text)
            #expect(!found.isEmpty, "\(text)")
            #expect(found.allSatisfy { !$0.contains(secret) }, "\(found)")
        }
        let error = proxyError(texts[0])
        #expect(error?.description.contains("http://<redacted>@proxy.example.com") == true)
        #expect(error?.description.contains("user information") == true)
    }

    @Test func addressesThatWouldBecomeBrokenURLsAreRejectedWithTheirLine() {
        let cases: [(String, Int, String)] = [
            ("ProxyServerAddress=http://\nProxyServerPort=3128", 1, "names no host"),
            (
                "# c\nProxyServerAddress=127.0.0.1:3128\nProxyServerPort=3128", 2,
                "gives a port (3128) and so does ProxyServerPort (3128, line 3)"
            ),
            ("ProxyServerAddress=http://[2001:db8::1]:3128\nProxyServerPort=3128", 1, "gives a port"),
            ("ProxyServerAddress=proxy:\nProxyServerPort=3128", 1, "ends with ':' but no port"),
            ("ProxyServerAddress=proxy\n\nProxyServerPort=abc", 3, "ProxyServerPort 'abc' is not a port (1-65535)"),
            ("ProxyServerAddress=proxy\nProxyServerPort=0", 2, "is not a port"),
            ("ProxyServerAddress=proxy\nProxyServerPort=65536", 2, "is not a port"),
            ("ProxyServerAddress=proxy\nProxyServerPort=+3128", 2, "is not a port"),
            ("ProxyServerAddress=proxy\nProxyServerPort=99999999999999999999999", 2, "is not a port"),
            ("FeatureType=1\nProxyServerAddress=proxy", 2, "ProxyServerPort is missing"),
            ("ProxyServerAddress=ftp://proxy\nProxyServerPort=21", 1, "has the scheme 'ftp'"),
            ("ProxyServerAddress=not a host\nProxyServerPort=21", 1, "contains spaces"),
            ("ProxyServerAddress=http://bad_host!\nProxyServerPort=21", 1, "does not name a host"),
        ]
        for (text, line, expected) in cases {
            let error = proxyError(text)
            guard case .invalidProxy(_, let found, let reason) = error else {
                Issue.record("\(text): expected invalidProxy, got \(String(describing: error))")
                continue
            }
            #expect(found == line, "\(text)")
            #expect(reason.contains(expected), "\(text): \(reason)")
            #expect(error?.description.hasPrefix("g:\(line): ") == true)
        }
    }

    @Test func goodAddressesStillWork() throws {
        let cases: [(String, String)] = [
            ("ProxyServerAddress=proxy.corp.example\nProxyServerPort=3128", "http://proxy.corp.example:3128"),
            ("ProxyServerAddress=http://10.0.0.5/\nProxyServerPort=8080", "http://10.0.0.5:8080"),
            ("ProxyServerAddress=https://proxy.example\nProxyServerPort=443", "https://proxy.example:443"),
            ("ProxyServerAddress=2001:db8::5\nProxyServerPort=3128", "http://[2001:db8::5]:3128"),
            ("ProxyServerAddress=[2001:db8::5]\nProxyServerPort=3128", "http://[2001:db8::5]:3128"),
        ]
        for (text, url) in cases {
            #expect(try GriddConf(text: text, path: "g").proxy() == .url(url), "\(text)")
        }
    }

    @Test func bytesThatAreNotUTF8AreReadAnyway() throws {
        var data = Data("# caf".utf8)
        data.append(0xE9)
        data.append(contentsOf: Array("\nProxyServerAddress=p.example\nProxyServerPort=3128\n".utf8))
        let conf = GriddConf(data: data, path: "g")
        #expect(conf.issues.isEmpty)
        #expect(conf.lines["ProxyServerPort"] == 3)
        #expect(try conf.proxy() == .url("http://p.example:3128"))
        let path = try write(data)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(try GriddConf.load(path: path).values["ProxyServerAddress"] == "p.example")
    }
}
