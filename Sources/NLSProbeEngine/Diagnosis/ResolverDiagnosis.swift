internal import CSocket
import Foundation
import NLSProbeCore

#if canImport(Glibc)
    import Glibc
#endif

/// Why a name did not resolve, asked of the resolvers themselves: every nameserver of
/// /etc/resolv.conf, for A and AAAA apart, for the name and the names its search list makes, all
/// at once over UDP, each query bounded by one wait. The check's own resolution stays
/// getaddrinfo's (hosts file and nsswitch.conf as the system has them); this only explains it.
public enum ResolverDiagnosis {
    /// Diagnoses each name (at most 16, eight at a time); `timeout` bounds each name's queries.
    public static func diagnoseAll(
        _ hosts: [String], timeout: Double, resolvConf: String = "/etc/resolv.conf", hostsFile: String = "/etc/hosts"
    ) async -> [String: DNSEvidence] {
        let names = Array(hosts.prefix(16))
        let conf = ResolvConf.read(path: resolvConf)
        let results = await BlockingWorkers.run(names.count, workers: 8) { index in
            diagnose(names[index], conf: conf, hostsFile: hostsFile, wait: timeout)
        }
        var byName: [String: DNSEvidence] = [:]
        for (index, evidence) in results { byName[names[index]] = evidence }
        return byName
    }

    /// Asks every nameserver of `conf` about `host` and says what they answered (blocking, at most
    /// `wait` seconds).
    public static func diagnose(_ host: String, conf: ResolvConf, hostsFile: String, wait: Double) -> DNSEvidence {
        let listed = !HostsFile.addresses(of: host, path: hostsFile).isEmpty
        // Without a nameserver line glibc asks the local host.
        let servers = conf.servers.isEmpty ? ["127.0.0.1"] : conf.servers
        let names = conf.candidates(for: host)
        var queries: [DNSQuery] = []
        var pending: [(index: Int, fd: Int32, id: UInt16, type: DNSMessage.RecordType)] = []
        let started = MonotonicClock.now()
        for name in names {
            for server in servers {
                for type in [DNSMessage.RecordType.a, .aaaa] {
                    let index = queries.count
                    queries.append(DNSQuery(name: name, family: type.name, server: server, answer: .timeout))
                    let id = UInt16.random(in: 0...UInt16.max)
                    guard let message = DNSMessage.query(id: id, name: name, type: type) else {
                        queries[index].answer = .error
                        continue
                    }
                    let fd = nls_udp_connect(server, 53)
                    guard fd >= 0 else {
                        (queries[index].answer, queries[index].error) = unsent(errno)
                        continue
                    }
                    if nls_udp_send(fd, message, message.count) < 0 {
                        (queries[index].answer, queries[index].error) =
                            errno == ECONNREFUSED ? (.unreachable, nil) : unsent(errno)
                        close(fd)
                        continue
                    }
                    pending.append((index, fd, id, type))
                }
            }
        }
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !pending.isEmpty {
            let left = wait - (MonotonicClock.now() - started)
            guard left > 0 else { break }
            var readable = [Int32](repeating: 0, count: pending.count)
            let fds = pending.map(\.fd)
            let ready = nls_wait_readable(fds, Int32(fds.count), Int32(max(1, min(left, 30) * 1000)), &readable)
            guard ready > 0 else {
                if ready < 0 && errno == EINTR { continue }
                break
            }
            var still: [(index: Int, fd: Int32, id: UInt16, type: DNSMessage.RecordType)] = []
            for (slot, query) in pending.enumerated() {
                guard readable[slot] != 0 else {
                    still.append(query)
                    continue
                }
                let length = nls_udp_receive(query.fd, &buffer, buffer.count)
                let ms = ((MonotonicClock.now() - started) * 10_000).rounded() / 10
                if length < 0 {
                    queries[query.index].answer = errno == ECONNREFUSED ? .unreachable : .error
                    queries[query.index].ms = ms
                    close(query.fd)
                    continue
                }
                guard length > 0,
                    let response = try? DNSMessage.decode(
                        Array(buffer[0..<Int(length)]), name: queries[query.index].name, type: query.type),
                    response.id == query.id
                else {
                    // Not an answer to this query: keep waiting for one.
                    still.append(query)
                    continue
                }
                queries[query.index].ms = ms
                queries[query.index].addresses = Array(response.addresses.prefix(16))
                queries[query.index].answer = answer(response)
                if queries[query.index].answer == .error { queries[query.index].rcode = response.rcode }
                close(query.fd)
            }
            pending = still
        }
        for query in pending { close(query.fd) }
        return DNSEvidence(
            resolvConf: conf.path, servers: servers, search: conf.search, hostsFile: listed, queries: queries,
            summary: DNSSummary.text(host: host, queries: queries, servers: servers, wait: wait, hostsFile: listed))
    }

    /// A query that could not leave this host, and why, from the `errno` of its connect or send.
    static func unsent(_ code: Int32) -> (DNSAnswer, String?) {
        switch code {
        case ENETUNREACH: return (.notSent, "network is unreachable (this host has no route to it)")
        case EHOSTUNREACH: return (.notSent, "no route to host")
        case EPERM, EACCES: return (.notSent, "this host's own firewall refused to send it")
        case EADDRNOTAVAIL: return (.notSent, "no local address to send from")
        case EINVAL: return (.error, "not an address")
        default: return (.notSent, String(cString: strerror(code)))
        }
    }

    /// The answer a response gives.
    static func answer(_ response: DNSMessage.Response) -> DNSAnswer {
        switch response.rcode {
        case 0: return response.addresses.isEmpty ? .noData : .addresses
        case 2: return .servfail
        case 3: return .nxdomain
        case 5: return .refused
        default: return .error
        }
    }
}
