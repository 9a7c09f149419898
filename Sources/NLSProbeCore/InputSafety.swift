import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Short, safe excerpts of untrusted text for messages: bounded in length, control characters
/// shown as escapes so nothing reaches the terminal raw.
public enum Excerpt {
    /// The longest excerpt messages quote, in characters (before the ellipsis).
    public static let defaultLimit = 80

    /// `text` with control characters (C0, DEL, C1, bidirectional overrides) written as `\u{1B}`
    /// and cut to `limit` characters, with "…" when cut.
    public static func quote<S: StringProtocol>(_ text: S, limit: Int = defaultLimit) -> String {
        var result = ""
        var length = 0
        for scalar in text.unicodeScalars {
            let piece = isControl(scalar) ? ControlCharacters.visible(scalar) : String(scalar)
            if length + piece.count > limit {
                return result + "…"
            }
            result += piece
            length += piece.count
        }
        return result
    }

    /// True for scalars that steer a terminal or reorder text: ``ControlCharacters/isControl(_:)``,
    /// the one definition every sanitiser shares.
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool { ControlCharacters.isControl(scalar) }

    /// The first control character of `text` (tab and line feed allowed when `allowingLayout`), if any.
    public static func firstControl<S: StringProtocol>(in text: S, allowingLayout: Bool = false) -> Unicode.Scalar? {
        text.unicodeScalars.first { scalar in
            if allowingLayout && (scalar == "\t" || scalar == "\n") { return false }
            return isControl(scalar)
        }
    }
}

/// Keeps credentials out of messages.
public enum Redaction {
    /// What stands in place of a secret.
    public static let placeholder = "<redacted>"

    /// The URL or address with any user information (`user:password@`) replaced by `<redacted>@`,
    /// then quoted as a bounded excerpt: "http://<redacted>@proxy:3128".
    public static func url(_ text: String, limit: Int = Excerpt.defaultLimit) -> String {
        let schemeEnd = text.range(of: "://")?.upperBound ?? text.startIndex
        let rest = text[schemeEnd...]
        // Up to the last '@' before white space: a password may hold '/', '?' or '#', so the
        // authority's usual end is not trusted (redacting a path's '@' too is the safe side).
        let authorityEnd = rest.firstIndex(where: \.isWhitespace) ?? rest.endIndex
        guard let at = rest[..<authorityEnd].lastIndex(of: "@") else {
            return Excerpt.quote(text, limit: limit)
        }
        let redacted = String(text[..<schemeEnd]) + placeholder + String(text[at...])
        return Excerpt.quote(redacted, limit: limit)
    }

    /// True for setting names whose values may be secrets: they contain "pass", "secret", "token"
    /// or "key" (any case), unless they name a file or path ("ClientConfigTokenPath").
    public static func isSensitiveKey(_ key: String) -> Bool {
        let lower = key.lowercased()
        if lower.hasSuffix("path") || lower.hasSuffix("file") || lower.hasSuffix("filepath") { return false }
        return ["pass", "secret", "token", "key", "credential"].contains { lower.contains($0) }
    }

    /// The value as messages may show it: `<redacted>` for a sensitive key, else a bounded excerpt
    /// with any user information in a URL redacted.
    public static func value(_ value: String, ofKey key: String) -> String {
        isSensitiveKey(key) ? placeholder : url(value)
    }
}

/// Reads files from other people and other tools without trusting them: regular files only, at
/// most a given number of bytes, never blocking on a pipe or a device.
public enum BoundedFile {
    /// Why a file was not read.
    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        /// Nothing exists at the path.
        case noSuchFile
        /// A directory, device, pipe or socket.
        case notRegularFile(kind: String)
        /// Larger than the limit.
        case tooLarge(bytes: Int, limit: Int)
        /// The system refused (permission, I/O error); `reason` is its message.
        case systemError(reason: String)

        /// The reason, in words.
        public var description: String {
            switch self {
            case .noSuchFile: "no such file"
            case .notRegularFile(let kind): "it is \(kind), not a regular file"
            case .tooLarge(let bytes, let limit):
                "it is \(bytes) bytes or more, larger than the limit of \(limit) bytes for this kind of file"
            case .systemError(let reason): reason
            }
        }
    }

    /// The bytes of the regular file at `path`, at most `limit` of them; larger files, non-regular
    /// files and unreadable ones throw without reading further.
    public static func read(path: String, limit: Int) throws(Failure) -> Data {
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure(errno) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw failure(errno) }
        let type = status.st_mode & S_IFMT
        guard type == S_IFREG else { throw .notRegularFile(kind: kind(type)) }
        if Int(status.st_size) > limit { throw .tooLarge(bytes: Int(status.st_size), limit: limit) }
        // The size can lie (/proc, a file still growing): read at most limit + 1 bytes.
        let capacity = max(0, limit) + 1
        var buffer = [UInt8](repeating: 0, count: min(capacity, max(Int(status.st_size), 4096) + 1))
        var count = 0
        while count < capacity {
            if count == buffer.count {
                buffer.append(contentsOf: [UInt8](repeating: 0, count: min(buffer.count, capacity - buffer.count)))
            }
            let got = buffer.withUnsafeMutableBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                return systemRead(descriptor, base + count, raw.count - count)
            }
            if got < 0 {
                if errno == EINTR { continue }
                throw failure(errno)
            }
            if got == 0 { break }
            count += got
        }
        if count > limit { throw .tooLarge(bytes: count, limit: limit) }
        return Data(buffer[0..<count])
    }

    static func failure(_ code: Int32) -> Failure {
        code == ENOENT ? .noSuchFile : .systemError(reason: String(cString: strerror(code)))
    }

    static func kind(_ type: mode_t) -> String {
        switch type {
        case S_IFDIR: "a directory"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        case S_IFIFO: "a pipe"
        case S_IFSOCK: "a socket"
        default: "a special file"
        }
    }
}

/// `read(2)`, named apart from `BoundedFile.read`.
private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}
