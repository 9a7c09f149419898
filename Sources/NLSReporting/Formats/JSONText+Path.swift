import NLSProbeCore

/// The JSON of where a check stops: its path trace, the ICMP error its socket read, and what the
/// resolvers answered. Keys in sorted order, optionals left out when nil, as `JSONEncoder` does.
extension JSONText {
    mutating func write(_ icmp: ICMPEvidence) {
        beginObject()
        field("admin_prohibited", icmp.adminProhibited)
        field("code", icmp.code)
        field("from", icmp.from)
        field("text", icmp.text)
        if let ttl = icmp.ttl { field("ttl", ttl) }
        field("type", icmp.type)
        field("version", icmp.version)
        endObject()
    }

    mutating func write(_ path: PathEvidence) {
        beginObject()
        field("duration_ms", path.durationMs)
        key("hops")
        beginArray()
        for hop in path.hops {
            element()
            beginObject()
            field("answer", hop.answer.rawValue)
            if let from = hop.from { field("from", from) }
            if let icmp = hop.icmp { field("icmp", icmp) }
            if let rtt = hop.rttMs { field("rtt_ms", rtt) }
            field("ttl", hop.ttl)
            endObject()
        }
        endArray()
        field("probes", path.probes)
        if let origin = path.resetOrigin { field("reset_origin", origin) }
        if let port = path.sourcePort { field("source_port", port) }
        field("stop", path.stop.rawValue)
        if let address = path.stopAddress { field("stop_address", address) }
        if let hop = path.stopHop { field("stop_hop", hop) }
        field("summary", path.summary)
        endObject()
    }

    mutating func write(_ dns: DNSEvidence) {
        beginObject()
        field("hosts_file", dns.hostsFile)
        key("queries")
        beginArray()
        for query in dns.queries {
            element()
            beginObject()
            field("addresses", query.addresses)
            field("answer", query.answer.rawValue)
            if let error = query.error { field("error", error) }
            field("family", query.family)
            if let ms = query.ms { field("ms", ms) }
            field("name", query.name)
            if let rcode = query.rcode { field("rcode", rcode) }
            field("server", query.server)
            endObject()
        }
        endArray()
        field("resolv_conf", dns.resolvConf)
        field("search", dns.search)
        field("servers", dns.servers)
        field("summary", dns.summary)
        endObject()
    }
}
