internal import CCurl

/// A libcurl result code (`CURLcode`), with the names of the codes the engine and the classifier
/// tell apart. Written as its number in reasons and logs ("libcurl code 43").
struct CurlResult: RawRepresentable, Hashable, Sendable, ExpressibleByIntegerLiteral, CustomStringConvertible {
    /// libcurl's number for the result.
    var rawValue: Int

    /// The result numbered `rawValue`.
    init(rawValue: Int) { self.rawValue = rawValue }

    /// The result numbered `value` (tests and tables write codes as numbers).
    init(integerLiteral value: Int) { rawValue = value }

    /// The result libcurl returned.
    init(_ code: CURLcode) { rawValue = Int(code.rawValue) }

    /// The number, as reasons and logs show it.
    var description: String { "\(rawValue)" }

    /// CURLE_OK: the transfer (or connect-only check) completed.
    static var ok: CurlResult { CurlResult(CURLE_OK) }
    /// CURLE_UNSUPPORTED_PROTOCOL (1).
    static var unsupportedProtocol: CurlResult { CurlResult(CURLE_UNSUPPORTED_PROTOCOL) }
    /// CURLE_FAILED_INIT (2); also the engine's own, when libcurl could not be loaded.
    static var failedInit: CurlResult { CurlResult(CURLE_FAILED_INIT) }
    /// CURLE_COULDNT_RESOLVE_PROXY (5): the proxy's name did not resolve.
    static var couldntResolveProxy: CurlResult { CurlResult(CURLE_COULDNT_RESOLVE_PROXY) }
    /// CURLE_COULDNT_RESOLVE_HOST (6).
    static var couldntResolveHost: CurlResult { CurlResult(CURLE_COULDNT_RESOLVE_HOST) }
    /// CURLE_COULDNT_CONNECT (7): the TCP connect failed (the errno says how).
    static var couldntConnect: CurlResult { CurlResult(CURLE_COULDNT_CONNECT) }
    /// CURLE_WEIRD_SERVER_REPLY (8).
    static var weirdServerReply: CurlResult { CurlResult(CURLE_WEIRD_SERVER_REPLY) }
    /// CURLE_HTTP2 (16): a problem in the HTTP/2 framing layer.
    static var http2: CurlResult { CurlResult(CURLE_HTTP2) }
    /// CURLE_WRITE_ERROR (23): the write callback refused data; the engine stops a body at its
    /// first byte this way.
    static var writeError: CurlResult { CurlResult(CURLE_WRITE_ERROR) }
    /// CURLE_OUT_OF_MEMORY (27); also libcurl's answer to a header line over its 100 KB limit.
    static var outOfMemory: CurlResult { CurlResult(CURLE_OUT_OF_MEMORY) }
    /// CURLE_OPERATION_TIMEDOUT (28).
    static var operationTimedOut: CurlResult { CurlResult(CURLE_OPERATION_TIMEDOUT) }
    /// CURLE_SSL_CONNECT_ERROR (35): the TLS handshake failed.
    static var sslConnectError: CurlResult { CurlResult(CURLE_SSL_CONNECT_ERROR) }
    /// CURLE_INTERFACE_FAILED (45): binding the local end failed.
    static var interfaceFailed: CurlResult { CurlResult(CURLE_INTERFACE_FAILED) }
    /// CURLE_OBSOLETE51 (51): libcurl before 7.62 reported a failed peer verification with it.
    static var legacyPeerFailedVerification: CurlResult { CurlResult(CURLE_OBSOLETE51) }
    /// CURLE_GOT_NOTHING (52): the server closed without a byte of answer.
    static var gotNothing: CurlResult { CurlResult(CURLE_GOT_NOTHING) }
    /// CURLE_SEND_ERROR (55).
    static var sendError: CurlResult { CurlResult(CURLE_SEND_ERROR) }
    /// CURLE_RECV_ERROR (56).
    static var recvError: CurlResult { CurlResult(CURLE_RECV_ERROR) }
    /// CURLE_SSL_CERTPROBLEM (58): a local certificate could not be used.
    static var sslCertProblem: CurlResult { CurlResult(CURLE_SSL_CERTPROBLEM) }
    /// CURLE_SSL_CIPHER (59).
    static var sslCipher: CurlResult { CurlResult(CURLE_SSL_CIPHER) }
    /// CURLE_PEER_FAILED_VERIFICATION (60): the peer's certificate was not trusted.
    static var peerFailedVerification: CurlResult { CurlResult(CURLE_PEER_FAILED_VERIFICATION) }
    /// CURLE_SSL_CACERT_BADFILE (77): the CA file could not be loaded.
    static var caCertBadFile: CurlResult { CurlResult(CURLE_SSL_CACERT_BADFILE) }
    /// CURLE_HTTP2_STREAM (92).
    static var http2Stream: CurlResult { CurlResult(CURLE_HTTP2_STREAM) }
    /// CURLE_PROXY (97): the proxy answered its handshake with an error (CURLINFO_PROXY_ERROR says which).
    static var proxy: CurlResult { CurlResult(CURLE_PROXY) }

}
