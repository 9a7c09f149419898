/// The phases of one attempt, each with a budget of its own measured from its own start.
enum AttemptPhase: Sendable, Equatable {
    /// The TCP handshake with the destination, or with the proxy (`connect_timeout`).
    case connect
    /// Through a proxy: from the TCP connection with the proxy to its answer to CONNECT, or the end
    /// of the SOCKS handshake (`connect_timeout`: the proxy must connect onwards in that time).
    case tunnel
    /// The TLS handshake with the destination (`tls_timeout`).
    case tls
    /// The HTTP request to its complete response header (`request_timeout`).
    case request
}
