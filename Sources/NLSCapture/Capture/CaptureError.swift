/// Why a capture could not start.
public enum CaptureError: Error, Sendable, Equatable, CustomStringConvertible {
    /// libpcap could not be loaded (it is opened at the first capture, not linked): why, as the
    /// dynamic loader said it.
    case library(detail: String)
    /// The process lacks CAP_NET_RAW.
    case permissionDenied(detail: String)
    /// The interface does not exist or cannot capture.
    case interface(name: String, detail: String)
    /// The BPF filter did not compile.
    case filter(expression: String, detail: String)
    /// The capture file could not be written.
    case file(path: String, detail: String)

    /// A message a person can act on.
    public var description: String {
        switch self {
        case .library(let detail):
            "libpcap could not be loaded (\(detail)): install libpcap0.8 (Debian/Ubuntu; libpcap0.8t64 on Debian 13 "
                + "and Ubuntu 24.04) or libpcap (RHEL), or run without --capture"
        case .permissionDenied(let detail):
            "capturing packets needs CAP_NET_RAW (\(detail)): run as root, or grant it once with "
                + "sudo setcap cap_net_raw,cap_net_admin+ep \"$(command -v nlsprobe)\""
        case .interface(let name, let detail): "cannot capture on interface \(name): \(detail)"
        case .filter(let expression, let detail): "the capture filter '\(expression)' does not compile: \(detail)"
        case .file(let path, let detail): "\(path): cannot write the capture file: \(detail)"
        }
    }
}
