import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Standard output and standard error, written with write(2) and never trapping: after a hang-up
/// (a closed SSH session) a terminal answers EIO, and a closed pipe EPIPE (SIGPIPE is ignored). A
/// lost line must not cost the run its reports, which are written to files whatever the terminal
/// does. (`FileHandle.write(_:)` traps on such errors.)
enum StandardStream {
    /// Standard output.
    case output
    /// Standard error.
    case error

    /// Writes `text` whole, retrying after EINTR; gives up silently on any other error.
    func write(_ text: String) {
        var text = text
        text.withUTF8 { write(UnsafeRawBufferPointer($0)) }
    }

    /// Writes raw bytes as they are (a JSON report to standard output), as `write(_:)` does.
    func write(_ data: Data) {
        data.withUnsafeBytes { write($0) }
    }

    private func write(_ bytes: UnsafeRawBufferPointer) {
        let fd = self == .output ? STDOUT_FILENO : STDERR_FILENO
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(fd, bytes.baseAddress?.advanced(by: offset), bytes.count - offset)
            if written > 0 {
                offset += written
            } else if written < 0 && errno == EINTR {
                continue
            } else {
                return
            }
        }
    }
}
