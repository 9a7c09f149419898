/// What an HTTP answer showed.
public struct HTTPEvidence: Codable, Sendable, Equatable {
    /// Status code.
    public var status: Int
    /// `Server` header.
    public var server: String?
    /// `Via` header.
    public var via: String?
    /// `Date` header.
    public var date: String?
    /// The server's clock minus this host's, in seconds, from the `Date` header (positive: the server is ahead).
    public var clockSkewS: Double?

    /// Creates HTTP evidence.
    public init(status: Int, server: String? = nil, via: String? = nil, date: String? = nil, clockSkewS: Double? = nil)
    {
        self.status = status
        self.server = server
        self.via = via
        self.date = date
        self.clockSkewS = clockSkewS
    }
}
