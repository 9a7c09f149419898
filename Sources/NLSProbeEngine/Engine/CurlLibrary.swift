internal import CCurl

/// libcurl's process-wide state: initialised once, before the first multi handle.
enum CurlLibrary {
    /// The outcome of `curl_global_init` and of the check for a TLS backend, computed on first use.
    static let initialized: Result<Void, EngineError> = {
        let rc = curl_global_init(Int(CURL_GLOBAL_DEFAULT))
        guard rc == CURLE_OK else {
            return .failure(.curlUnavailable(String(cString: curl_easy_strerror(rc))))
        }
        guard nls_curl_has_tls() == 1 else {
            return .failure(.missingFeature("TLS support"))
        }
        return .success(())
    }()
}
