internal import CSocket
import NLSProbeCore

#if canImport(Glibc)
    import Glibc
#endif

/// Sees the TTL of a reset that answers a trace probe (IPv4, with CAP_NET_RAW): a receive-only raw
/// TCP socket, open for one trace. Without the capability there is none, and a reset's origin is
/// read from the trace alone.
final class ResetWatch {
    private let descriptor: Int32
    private let destination: String

    /// A watch for resets from `destination`; nil for IPv6 or without CAP_NET_RAW.
    init?(destination: String) {
        guard IPAddress(destination)?.bytes.count == 4 else { return nil }
        let fd = nls_reset_watch_open()
        guard fd >= 0 else { return nil }
        descriptor = fd
        self.destination = destination
    }

    /// The TTL of the last reset from the destination's `fromPort` to local `toPort`, if one came.
    func resetTtl(fromPort: Int, toPort: Int) -> Int? {
        let ttl = nls_reset_watch_ttl(descriptor, destination, Int32(fromPort), Int32(toPort))
        return ttl >= 0 ? Int(ttl) : nil
    }

    deinit { close(descriptor) }
}
