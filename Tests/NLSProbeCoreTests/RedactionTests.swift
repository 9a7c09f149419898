import Testing

@testable import NLSProbeCore

@Suite struct RedactionTests {
    @Test func userInformationIsRedacted() {
        #expect(Redaction.url("http://user:S3cr3tPW@proxy:3128/x") == "http://<redacted>@proxy:3128/x")
        #expect(Redaction.url("user:S3cr3tPW@proxy") == "<redacted>@proxy")
        // A password may hold '/', '?' or '#': everything up to the last '@' goes, even a path's.
        #expect(Redaction.url("http://user:P/S3cr3tPW@proxy:3128") == "http://<redacted>@proxy:3128")
        #expect(Redaction.url("http://user:P#S3cr3tPW@proxy") == "http://<redacted>@proxy")
        #expect(Redaction.url("http://proxy:3128/a@b") == "http://<redacted>@b")
        #expect(Redaction.url("http://proxy:3128/a b@c") == "http://proxy:3128/a b@c")
        #expect(Redaction.isSensitiveKey("ProxyPassword"))
        #expect(Redaction.isSensitiveKey("ApiKey"))
        #expect(!Redaction.isSensitiveKey("ClientConfigTokenPath"))
        #expect(Redaction.value("S3cr3tPW", ofKey: "ProxyPassword") == "<redacted>")
    }

    /// The form reports and terminal text use: every URL of a text, `***`, nothing else touched.
    @Test func everyURLInATextLosesItsUserInformation() {
        #expect(Redaction.urls(in: "http://user:S3cr3t@proxy.test:3128") == "http://***@proxy.test:3128")
        for password in ["P#S3cr3t", "P/S3cr3t", "P?S3cr3t"] {
            #expect(Redaction.urls(in: "http://user:\(password)@proxy.test:3128") == "http://***@proxy.test:3128")
        }
        #expect(
            Redaction.urls(in: "via socks5h://a@b@h:1080/x and https://u:p@q/")
                == "via socks5h://***@h:1080/x and https://***@q/")
        #expect(
            Redaction.urls(in: "http://proxy.test:3128 mail@example.test") == "http://proxy.test:3128 mail@example.test"
        )
        #expect(Redaction.urls(in: "user:S3cr3t@proxy") == "user:S3cr3t@proxy")
        #expect(Redaction.urls(in: "no url at all") == "no url at all")
        // Not shortened, not quoted: the caller sanitises for its medium.
        let long = "http://u:p@proxy/" + String(repeating: "x", count: 200) + "\u{1B}"
        #expect(Redaction.urls(in: long) == "http://***@proxy/" + String(repeating: "x", count: 200) + "\u{1B}")
        #expect(Redaction.urls(in: "http://u:p@proxy", placeholder: "<redacted>") == Redaction.url("http://u:p@proxy"))
    }

    @Test func excerptsAreBoundedAndNeutralised() {
        #expect(Excerpt.quote("a\u{1B}[2Jb") == "a\\u{1B}[2Jb")
        #expect(Excerpt.quote(String(repeating: "x", count: 1000)).count == Excerpt.defaultLimit + 1)
        #expect(Excerpt.quote("\u{202E}evil") == "\\u{202E}evil")
    }
}
