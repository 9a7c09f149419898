/// Link-layer header types nlsprobe decodes (libpcap's DLT/LINKTYPE values).
public enum LinkType: Int32, Sendable {
    /// BSD loopback: 4-byte host-order address family.
    case null = 0
    /// Ethernet.
    case ethernet = 1
    /// Raw IP (DLT_RAW as libpcap reports it on Linux).
    case raw = 12
    /// Raw IP (LINKTYPE_RAW).
    case rawIP = 101
    /// OpenBSD loopback: 4-byte network-order address family.
    case loop = 108
    /// Linux cooked capture v1 ("any" device).
    case linuxSLL = 113
    /// Linux cooked capture v2.
    case linuxSLL2 = 276
}
