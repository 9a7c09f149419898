#if canImport(Glibc)
    import Glibc
#endif

/// Sole ownership of a socket descriptor: closed when the owner goes away, unless given up with
/// `release()`. Not copyable, so exactly one owner can close it.
struct OwnedSocket: ~Copyable, Sendable {
    /// The descriptor owned (never negative).
    let descriptor: Int32

    /// Takes ownership of `descriptor`; nil for a negative one (no socket).
    init?(adopting descriptor: Int32) {
        guard descriptor >= 0 else { return nil }
        self.descriptor = descriptor
    }

    /// Gives ownership up without closing: the descriptor is the caller's to hand on or close.
    consuming func release() -> Int32 {
        let descriptor = self.descriptor
        discard self
        return descriptor
    }

    deinit { close(descriptor) }
}
