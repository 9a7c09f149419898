/// Reason phrases for the status lines reports show.
enum HTTPStatus {
    /// The phrase of `code` (empty when not known); a proxy's yes to CONNECT reads
    /// "Connection established" (`connect: true`), any other 200 "OK".
    static func phrase(_ code: Int, connect: Bool = false) -> String {
        switch code {
        case 200: connect ? "Connection established" : "OK"
        case 301: "Moved Permanently"
        case 302: "Found"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 407: "Proxy Authentication Required"
        case 500: "Internal Server Error"
        case 511: "Network Authentication Required"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        default: ""
        }
    }
}
