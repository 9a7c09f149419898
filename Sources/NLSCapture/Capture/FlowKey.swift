import NLSProbeCore

/// Identifies a check's packets: its local port, and the remote address and port.
public struct FlowKey: Hashable, Sendable {
    /// Local TCP port (known before the SYN leaves: the socket is bound in the socket callback).
    public var localPort: UInt16
    /// Remote address.
    public var remote: IPAddress
    /// Remote port.
    public var remotePort: UInt16

    /// Creates a key.
    public init(localPort: UInt16, remote: IPAddress, remotePort: UInt16) {
        self.localPort = localPort
        self.remote = remote
        self.remotePort = remotePort
    }
}
