import Foundation
import NLSCapture
import NLSProbeCore
import NLSProbeEngine

/// A run's packet capture: started before the checks, stopped after the last, then asked what
/// crossed the wire for each check.
struct RunCapture: Sendable {
    /// The capture.
    let packets: PacketCapture

    /// Starts a capture of the plan's direct checks into `path`.
    init(plan: RunPlan, interface: String, path: String) throws(CaptureError) {
        let direct = plan.checks.filter { $0.skipReason == nil && !$0.settings.proxy.isProxied }
        let filter = PacketCapture.filter(addresses: direct.compactMap(\.address), ports: direct.map(\.port))
        packets = try PacketCapture(interface: interface, filter: filter, path: path)
    }

    /// What crossed the wire for a check, given its remote address and port, local port and start time.
    var wire: @Sendable (String, Int, Int, Double) -> WireEvidence? {
        let packets = packets
        return { remote, remotePort, localPort, since in
            guard let address = IPAddress(remote), let local = UInt16(exactly: localPort),
                let port = UInt16(exactly: remotePort)
            else { return nil }
            return packets.evidence(for: FlowKey(localPort: local, remote: address, remotePort: port), since: since)
        }
    }

    /// Stops the capture, after a moment for answers still in flight when the last check ended.
    var stop: @Sendable () -> Void {
        let packets = packets
        return {
            usleep(10_000)
            packets.stop()
        }
    }
}
