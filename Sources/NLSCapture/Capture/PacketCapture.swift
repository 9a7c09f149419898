internal import CPcap
import Foundation
import NLSProbeCore
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// One capture for a whole run: libpcap on its own thread, filtered to the plan, written to a
/// pcap file, every packet attributed to a check by its 5-tuple.
public final class PacketCapture: @unchecked Sendable {
    /// The interface captured on.
    public let interface: String
    /// The capture file.
    public let path: String
    private let handle: OpaquePointer
    private let dumper: OpaquePointer?
    private let linkType: LinkType?
    private let stopped = Mutex(false)
    private let flows = Mutex<[FlowKey: [DecodedPacket]]>([:])
    private let pathTTLs = Mutex<[IPAddress: Int]>([:])
    private var thread: Thread?
    private let done = DispatchSemaphore(value: 0)

    /// Loads libpcap (the first capture of the process opens it), opens the interface ("any" by
    /// default), applies the filter and starts the capture thread.
    public init(interface: String = "any", filter: String, path: String) throws(CaptureError) {
        self.interface = interface
        self.path = path
        try PcapLibrary.load()
        var errorBuffer = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE) + 1)
        guard let handle = nls_pcap_create(interface, &errorBuffer) else {
            throw .interface(
                name: interface,
                detail: String(decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        self.handle = handle
        nls_pcap_set_snaplen(handle, 256)
        nls_pcap_set_immediate_mode(handle, 1)
        nls_pcap_set_timeout(handle, 100)
        nls_pcap_set_buffer_size(handle, 4 << 20)
        let status = nls_pcap_activate(handle)
        if status < 0 {
            let detail = String(cString: nls_pcap_geterr(handle))
            nls_pcap_close(handle)
            if status == PCAP_ERROR_PERM_DENIED || detail.contains("ermission") || detail.contains("not permitted") {
                throw .permissionDenied(detail: detail)
            }
            throw .interface(name: interface, detail: detail)
        }
        var program = bpf_program()
        guard nls_pcap_compile(handle, &program, filter, 1, PCAP_NETMASK_UNKNOWN) == 0 else {
            let detail = String(cString: nls_pcap_geterr(handle))
            nls_pcap_close(handle)
            throw .filter(expression: filter, detail: detail)
        }
        let applied = nls_pcap_setfilter(handle, &program)
        nls_pcap_freecode(&program)
        guard applied == 0 else {
            let detail = String(cString: nls_pcap_geterr(handle))
            nls_pcap_close(handle)
            throw .filter(expression: filter, detail: detail)
        }
        nls_pcap_setnonblock(handle, 1, &errorBuffer)
        linkType = LinkType(rawValue: nls_pcap_datalink(handle))
        // The file is created 0600 before libpcap writes to it: captures can hold sensitive traffic.
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0, let file = fdopen(fd, "w") else {
            let detail = String(cString: strerror(errno))
            if fd >= 0 { close(fd) }
            nls_pcap_close(handle)
            throw .file(path: path, detail: detail)
        }
        guard let dumper = nls_pcap_dump_fopen(handle, file) else {
            let detail = String(cString: nls_pcap_geterr(handle))
            fclose(file)
            nls_pcap_close(handle)
            throw .file(path: path, detail: detail)
        }
        self.dumper = dumper
        let thread = Thread { [self] in loop() }
        thread.name = "nlsprobe-capture"
        self.thread = thread
        thread.start()
    }

    /// A BPF filter for the plan: TCP to the destinations and ports, plus ICMP and ICMPv6 errors.
    public static func filter(addresses: [String], ports: [Int]) -> String {
        let hosts = Array(Set(addresses)).sorted()
        let portList = Array(Set(ports)).sorted()
        let icmp = "icmp or icmp6"
        guard !hosts.isEmpty, hosts.count <= 256, portList.count <= 256 else { return "tcp or \(icmp)" }
        let hostPart = hosts.map { "host \($0)" }.joined(separator: " or ")
        let portPart = portList.map { "port \($0)" }.joined(separator: " or ")
        return "(tcp and (\(hostPart)) and (\(portPart))) or \(icmp)"
    }

    private func loop() {
        let fd = nls_pcap_get_selectable_fd(handle)
        while !stopped.withLock({ $0 }) {
            if fd >= 0 {
                var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                _ = poll(&poller, 1, 10)
            }
            if dispatch() < 0 { break }
        }
        done.signal()
    }

    /// Hands every packet libpcap holds to `received`; returns how many, or a negative error.
    private func dispatch() -> Int32 {
        let context = Unmanaged.passUnretained(self).toOpaque()
        return nls_pcap_dispatch(
            handle, -1,
            { user, header, bytes in
                guard let user, let header, let bytes else { return }
                let capture = Unmanaged<PacketCapture>.fromOpaque(UnsafeRawPointer(user)).takeUnretainedValue()
                capture.received(header, bytes)
            }, context.assumingMemoryBound(to: UInt8.self))
    }

    private func received(_ header: UnsafePointer<pcap_pkthdr>, _ bytes: UnsafePointer<UInt8>) {
        if let dumper {
            nls_pcap_dump(UnsafeMutableRawPointer(dumper).assumingMemoryBound(to: UInt8.self), header, bytes)
        }
        guard let linkType else { return }
        let length = Int(header.pointee.caplen)
        let time = Double(header.pointee.ts.tv_sec) + Double(header.pointee.ts.tv_usec) / 1e6
        guard
            let packet = PacketDecoder.decode(
                Array(UnsafeBufferPointer(start: bytes, count: length)), linkType: linkType, time: time)
        else { return }
        record(packet)
    }

    /// Files a packet under the flow it belongs to (both directions, and ICMP errors by their quote).
    func record(_ packet: DecodedPacket) {
        var keys: [FlowKey] = []
        switch packet.payload {
        case .tcp(let segment):
            keys.append(
                FlowKey(localPort: segment.sourcePort, remote: packet.destination, remotePort: segment.destinationPort))
            keys.append(
                FlowKey(localPort: segment.destinationPort, remote: packet.source, remotePort: segment.sourcePort))
            if segment.isSYNACK {
                pathTTLs.withLock { $0[packet.source] = packet.ttl }
            }
        case .icmpError(let error):
            if let quoted = error.quoted {
                keys.append(
                    FlowKey(
                        localPort: quoted.sourcePort, remote: quoted.destination, remotePort: quoted.destinationPort))
            }
        }
        flows.withLock { table in
            for key in keys { table[key, default: []].append(packet) }
        }
    }

    /// Stops the capture and flushes the file; waits for the capture thread (at most 2 s).
    public func stop() {
        let already = stopped.withLock { value -> Bool in
            defer { value = true }
            return value
        }
        guard !already else { return }
        nls_pcap_breakloop(handle)
        _ = done.wait(timeout: .now() + 2)
        // Drain what arrived since the thread's last pass: the answers to the last checks.
        for _ in 0..<64 where dispatch() > 0 {}
        if let dumper {
            nls_pcap_dump_flush(dumper)
            nls_pcap_dump_close(dumper)
        }
        nls_pcap_close(handle)
    }

    deinit { stop() }

    /// What crossed the wire for one check: packets from `since` (the attempt's start) on.
    public func evidence(for key: FlowKey, since: Double? = nil) -> WireEvidence? {
        let packets = flows.withLock { $0[key] ?? [] }.filter { since == nil || $0.time >= (since ?? 0) }
        guard !packets.isEmpty else { return nil }
        let paths = pathTTLs.withLock { $0 }
        return WireSummary.summarize(packets, key: key, pathTTL: paths[key.remote])
    }

    /// Builds wire evidence from a flow's packets; see `WireSummary.summarize`.
    static func summarize(_ packets: [DecodedPacket], key: FlowKey, pathTTL: Int?) -> WireEvidence {
        WireSummary.summarize(packets, key: key, pathTTL: pathTTL)
    }
}
