import NLSProbeCore

/// The probe hosts of a merged fleet report, in the JSON writer's layout (keys sorted, optionals
/// left out when nil, as the model encodes them).
extension JSONText {
    mutating func write(probeHosts hosts: [ProbeHost]) {
        key("probe_hosts")
        beginArray()
        for host in hosts {
            element()
            beginObject()
            if let address = host.address { field("address", address) }
            if let finished = host.finished { field("finished", finished) }
            if let hostname = host.hostname { field("hostname", hostname) }
            field("local_addresses", host.localAddresses)
            field("name", host.name)
            if let problem = host.problem { field("problem", problem) }
            if let digest = host.profileDigest { field("profile_digest", digest) }
            field("reports", host.reports)
            field("sources", host.sources)
            if let started = host.started { field("started", started) }
            field("status", host.status.rawValue)
            if let version = host.toolVersion { field("tool_version", version) }
            endObject()
        }
        endArray()
    }
}
