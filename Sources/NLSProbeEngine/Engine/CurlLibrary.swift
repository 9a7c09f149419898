internal import CCurl

/// libcurl, loaded at first use (a run of plain TCP checks never needs it) and initialised once,
/// before the first multi handle.
enum CurlLibrary {
    /// The outcome of loading libcurl, `curl_global_init` and the check for a TLS backend, computed
    /// on first use (any thread; later callers wait for the first).
    static let initialized: Result<Void, EngineError> = {
        var reason = [CChar](repeating: 0, count: 512)
        guard nls_curl_load(&reason, reason.count) == 1 else { return .failure(.curlNotLoaded(CText.string(reason))) }
        let rc = nls_curl_global_init(Int(CURL_GLOBAL_DEFAULT))
        guard rc == CURLE_OK else {
            return .failure(.curlUnavailable(String(cString: nls_curl_easy_strerror(rc))))
        }
        guard nls_curl_has_tls() == 1 else {
            return .failure(.missingFeature("TLS support"))
        }
        return .success(())
    }()

    /// Whether the library `name` loads with every function the engine calls (it is not kept for
    /// use: `initialized` loads the real one). For tests of the failure's message.
    static func probe(named name: String) -> Result<Void, EngineError> {
        var reason = [CChar](repeating: 0, count: 512)
        guard nls_curl_load_named(name, &reason, reason.count) == 1 else {
            return .failure(.curlNotLoaded(CText.string(reason)))
        }
        return .success(())
    }
}
