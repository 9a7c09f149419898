import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Keeps the input being decoded where a signal handler can reach it, so that when a decoder
/// traps (SIGILL/SIGTRAP from a Swift runtime check, SIGSEGV from a stack overflow, SIGABRT,
/// SIGBUS, SIGFPE) the input is written to a file and named on stderr before the process dies.
///
/// Used only inside exit tests, which run in a child process of their own, one input at a time.
enum CrashGuard {
    /// The largest input kept; anything longer is cut (and the message says so).
    static let capacity = 1 << 20

    // Written by `arm` before each input, read only by the signal handler on the same thread.
    nonisolated(unsafe) private static var buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
    nonisolated(unsafe) private static var length = 0
    nonisolated(unsafe) private static var savePath: UnsafeMutablePointer<CChar>?
    nonisolated(unsafe) private static var message: UnsafeMutablePointer<CChar>?
    nonisolated(unsafe) private static var alternateStack: UnsafeMutableRawPointer?
    nonisolated(unsafe) private static var installed = false
    /// The handlers that were installed before, by signal number (filled before any is used).
    nonisolated(unsafe) private static var previous = UnsafeMutablePointer<sigaction>.allocate(capacity: 65)

    /// Signals a crash raises.
    static let signals: [Int32] = [SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGABRT, SIGFPE]

    /// Sends this process's stderr (the runtime's "Fatal error" message, the backtrace and this
    /// guard's own message) to `path`, which the parent test reads when the child dies.
    static func redirectStandardError(to path: String) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { return }
        dup2(fd, 2)
        close(fd)
    }

    /// Installs the handler (once) and an alternate signal stack for the calling thread, so a
    /// stack overflow is reported too. The handler saves the input, then hands the signal to the
    /// handler that was there before (the Swift runtime's backtracer), which prints the stack.
    static func install() {
        let stackSize = 256 * 1024
        if alternateStack == nil {
            alternateStack = UnsafeMutableRawPointer.allocate(byteCount: stackSize, alignment: 16)
        }
        var stack = stack_t()
        stack.ss_sp = alternateStack
        stack.ss_size = stackSize
        stack.ss_flags = 0
        sigaltstack(&stack, nil)
        guard !installed else { return }
        installed = true
        for signal in signals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { number in
                CrashGuard.report()
                sigaction(number, CrashGuard.previous + Int(number), nil)
                raise(number)
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = Int32(SA_ONSTACK | SA_NODEFER)
            (previous + Int(signal)).initialize(to: sigaction())
            sigaction(signal, &action, previous + Int(signal))
        }
    }

    /// Remembers `input`, what to say (`label`) and where to save it (`path`, nil to not save)
    /// should the next decode crash.
    static func arm(_ input: [UInt8], label: String, saveTo path: String?) {
        length = min(input.count, capacity)
        input.withUnsafeBufferPointer { source in
            if let base = source.baseAddress { buffer.update(from: base, count: length) }
        }
        free(savePath)
        savePath = path.map { strdup($0) }
        free(message)
        let saved = path.map { "; the input is saved as \($0)" } ?? ""
        let cut = input.count > capacity ? " (cut to \(capacity) bytes)" : ""
        message = strdup("\nFuzzTests: crash while decoding \(label)\(saved)\(cut)\n")
    }

    /// Forgets the input: what follows is not a decoder's fault.
    static func disarm() {
        length = 0
        free(savePath)
        savePath = nil
        free(message)
        message = nil
    }

    /// Called from the signal handler: async-signal-safe calls only.
    private static func report() {
        if let message { _ = write(2, message, strlen(message)) }
        guard let savePath else { return }
        let fd = open(savePath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { return }
        var offset = 0
        while offset < length {
            let written = write(fd, buffer + offset, length - offset)
            if written <= 0 { break }
            offset += written
        }
        close(fd)
    }
}
