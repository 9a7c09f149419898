/// One query of a resolver diagnosis: a name, a family, a server, and its answer.
public struct DNSQuery: Codable, Sendable, Equatable {
    /// The name asked (with a search domain appended when the search list was used).
    public var name: String
    /// "A" or "AAAA".
    public var family: String
    /// The resolver asked.
    public var server: String
    /// What it answered.
    public var answer: DNSAnswer
    /// The addresses, for `addresses`.
    public var addresses: [String]
    /// The response code as a number when it is none of the named ones.
    public var rcode: Int?
    /// Milliseconds to the answer; nil for a timeout.
    public var ms: Double?
    /// Why the query could not be sent, for `not-sent` ("network is unreachable").
    public var error: String?

    /// Creates a query record.
    public init(
        name: String, family: String, server: String, answer: DNSAnswer, addresses: [String] = [], rcode: Int? = nil,
        ms: Double? = nil, error: String? = nil
    ) {
        self.name = name
        self.family = family
        self.server = server
        self.answer = answer
        self.addresses = addresses
        self.rcode = rcode
        self.ms = ms
        self.error = error
    }
}
