import NLSProbeCore

/// How the reports describe a proxy: the path of a check sent through one, and what it said.
/// The user part of a proxy URL never shows (see ``Credentials``).
enum ProxyText {
    /// "via http://***@proxy.example:3128": the path of a check sent through `proxy`.
    static func via(_ proxy: String) -> String {
        "via \(Credentials.redacted(proxy))"
    }

    /// "proxy URL at ADDRESS: answered STATUS, Server: …, Via: …, X-Squid-Error: …, offers Basic
    /// authentication, credentials sent": the proxy's evidence on one line, each part only when
    /// the proxy gave it.
    static func evidence(_ proxy: ProxyEvidence) -> String {
        var text = "proxy \(Credentials.redacted(proxy.url))"
        if let address = proxy.address { text += " at \(address)" }
        let said = [
            proxy.status.map { "answered \($0)" }, proxy.server.map { "Server: \($0)" },
            proxy.via.map { "Via: \($0)" },
            proxy.error.map { "X-Squid-Error: \($0)" },
            proxy.authOffered.isEmpty ? nil : "offers \(proxy.authOffered.joined(separator: ", ")) authentication",
            proxy.credentialsSent ? "credentials sent" : nil,
        ].compactMap { $0 }
        if !said.isEmpty { text += ": " + said.joined(separator: ", ") }
        return text
    }
}
