internal import CPcap

/// libpcap, opened with dlopen at the first capture rather than linked, so that a run without
/// `--capture` never loads it (nor libdbus and libsystemd, which it brings).
enum PcapLibrary {
    /// Opens libpcap once per process (later calls give the first call's answer; safe from any
    /// thread); throws ``CaptureError/library(detail:)`` with the dynamic loader's reason when it
    /// cannot be loaded.
    static func load() throws(CaptureError) {
        try loading { error, size in nls_pcap_load(error, size) }
    }

    /// Opens the library `name` as ``load()`` does, without the capture using it: the failure path,
    /// for tests.
    static func load(named name: String) throws(CaptureError) {
        try loading { error, size in nls_pcap_load_named(name, error, size) }
    }

    private static func loading(_ open: (UnsafeMutablePointer<CChar>, Int) -> Int32) throws(CaptureError) {
        let size = 1024
        var error = [CChar](repeating: 0, count: size)
        let status = open(&error, size)
        guard status != 0 else { return }
        let detail = String(decoding: error.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        throw .library(detail: detail.isEmpty ? "no reason given" : detail)
    }
}
