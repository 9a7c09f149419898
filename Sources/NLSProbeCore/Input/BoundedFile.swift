import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads files from other people and other tools without trusting them: regular files only, at
/// most a given number of bytes, never blocking on a pipe or a device.
public enum BoundedFile {
    /// Why a file was not read.
    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        /// Nothing exists at the path.
        case noSuchFile
        /// A directory, device, pipe or socket.
        case notRegularFile(kind: FileKind)
        /// Larger than the limit.
        case tooLarge(bytes: Int, limit: Int)
        /// The system refused (permission, I/O error); `code` is its `errno`.
        case systemError(code: Int32)

        /// The reason, in words.
        public var description: String {
            switch self {
            case .noSuchFile: "no such file"
            case .notRegularFile(let kind): "it is \(kind.rawValue), not a regular file"
            case .tooLarge(let bytes, let limit):
                "it is \(bytes) bytes or more, larger than the limit of \(limit) bytes for this kind of file"
            case .systemError(let code): String(cString: strerror(code))
            }
        }
    }

    /// What a path that is not a regular file is, in words ("a directory").
    public enum FileKind: String, Sendable, Equatable {
        /// A folder.
        case directory = "a directory"
        /// A character device (/dev/zero).
        case characterDevice = "a character device"
        /// A block device.
        case blockDevice = "a block device"
        /// A FIFO.
        case pipe = "a pipe"
        /// A Unix socket.
        case socket = "a socket"
        /// Anything else.
        case special = "a special file"
    }

    /// The bytes of the regular file at `path`, at most `limit` of them; larger files, non-regular
    /// files and unreadable ones throw without reading further. With `followLinks` false a symbolic
    /// link at `path` is refused (a system error) instead of read through.
    public static func read(path: String, limit: Int, followLinks: Bool = true) throws(Failure) -> Data {
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | (followLinks ? 0 : O_NOFOLLOW))
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
        code == ENOENT ? .noSuchFile : .systemError(code: code)
    }

    static func kind(_ type: mode_t) -> FileKind {
        switch type {
        case S_IFDIR: .directory
        case S_IFCHR: .characterDevice
        case S_IFBLK: .blockDevice
        case S_IFIFO: .pipe
        case S_IFSOCK: .socket
        default: .special
        }
    }
}

/// `read(2)`, named apart from `BoundedFile.read`.
private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(descriptor, buffer, count)
}
