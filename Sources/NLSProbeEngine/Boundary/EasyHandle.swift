internal import CCurl

/// A libcurl easy handle with typed option setters and info getters: libcurl's own calls are
/// variadic, which Swift cannot call, so they go through the shim's typed wrappers.
struct EasyHandle {
    /// The most of a header value kept as evidence, in bytes.
    static let headerLimit = 512

    /// libcurl's handle.
    let pointer: UnsafeMutableRawPointer

    /// A new handle; nil when libcurl cannot make one.
    init?() {
        guard let pointer = nls_curl_easy_init() else { return nil }
        self.pointer = pointer
    }

    /// Sets a numeric (long) option.
    func set(_ option: CURLoption, _ value: Int) {
        nls_easy_setopt_long(pointer, option, value)
    }

    /// Sets a text option (libcurl copies the text).
    func set(_ option: CURLoption, _ value: String) {
        nls_easy_setopt_string(pointer, option, value)
    }

    /// Sets a list option (libcurl keeps the pointer: the list must outlive the transfer).
    func set(_ option: CURLoption, _ list: UnsafeMutablePointer<curl_slist>?) {
        nls_easy_setopt_slist(pointer, option, list)
    }

    /// A numeric (long) fact, 0 when libcurl has none.
    func long(_ info: CURLINFO) -> Int {
        var value = 0
        return nls_easy_getinfo_long(pointer, info, &value) == CURLE_OK ? value : 0
    }

    /// A time fact (libcurl's microseconds) in seconds, 0 when libcurl has none.
    func seconds(_ info: CURLINFO) -> Double {
        var value: curl_off_t = 0
        return nls_easy_getinfo_offset(pointer, info, &value) == CURLE_OK ? Double(value) / 1e6 : 0
    }

    /// A text fact, nil when libcurl has none or it is empty.
    func string(_ info: CURLINFO) -> String? {
        var text: UnsafePointer<CChar>?
        guard nls_easy_getinfo_string(pointer, info, &text) == CURLE_OK, let text, text.pointee != 0 else {
            return nil
        }
        return String(cString: text)
    }

    /// The last occurrence of a header (after an authentication round trip, the final answer's) from
    /// the answers of `origin` (CURLH_HEADER: the server's; CURLH_CONNECT: a proxy's to CONNECT).
    func header(_ name: String, origin: UInt32 = NLS_CURLH_HEADER) -> String? {
        var found: UnsafeMutablePointer<curl_header>?
        guard nls_curl_easy_header(pointer, name, 0, origin, -1, &found) == CURLHE_OK, let first = found else {
            return nil
        }
        let amount = first.pointee.amount
        if amount > 1 {
            var last: UnsafeMutablePointer<curl_header>?
            if nls_curl_easy_header(pointer, name, amount - 1, origin, -1, &last) == CURLHE_OK, let last {
                found = last
            }
        }
        guard let value = found?.pointee.value else { return nil }
        // A peer's header is evidence, not a payload: keep a bounded prefix (libcurl itself accepts
        // header lines up to 100 KB).
        let text = String(cString: value)
        return text.utf8.count <= Self.headerLimit
            ? text : String(decoding: text.utf8.prefix(Self.headerLimit), as: UTF8.self) + "…"
    }
}
