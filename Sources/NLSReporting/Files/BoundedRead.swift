import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Reads regular files with a bound on their size, never waiting on a FIFO.
enum BoundedRead {
    /// The bytes of a report file: a regular file of at most `limit` bytes. A folder, device,
    /// pipe, socket or larger file is refused with a plain message.
    static func regularFile(path: String, limit: Int) throws(ReportError) -> Data {
        // O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused below.
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw .unreadable(path: path, reason: SystemErrorText.describe(errno)) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .unreadable(path: path, reason: SystemErrorText.describe(errno)) }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: throw .unreadable(path: path, reason: "it is a folder, not a report file")
        default: throw .unreadable(path: path, reason: "it is not a regular file (a device, pipe or socket)")
        }
        let tooLarge = ReportError.unreadable(
            path: path, reason: "it is larger than the \(limit >> 20) MiB limit for a report file")
        guard Int(info.st_size) <= limit else { throw tooLarge }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw .unreadable(path: path, reason: SystemErrorText.describe(errno))
            }
            if count == 0 { break }
            // The file may grow while it is read: the limit holds for what is read, not for what stat said.
            guard data.count + count <= limit else { throw tooLarge }
            data.append(contentsOf: buffer[0..<count])
        }
        return data
    }

    /// The first 64 bytes of a regular file, as text, without following a link; nil for anything else.
    static func small(path: String) -> String? {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
        guard count > 0 else { return nil }
        return String(decoding: buffer[0..<count], as: UTF8.self)
    }
}
