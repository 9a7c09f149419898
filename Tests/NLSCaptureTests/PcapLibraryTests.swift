import Dispatch
import Synchronization
import Testing

@testable import NLSCapture

/// libpcap is opened at the first capture, not linked: the load works here (libpcap-dev is a build
/// dependency, so its library is installed), and a library that cannot serve gives a message that
/// says what is wrong and what to do.
@Suite struct PcapLibraryTests {
    @Test func theInstalledLibraryLoads() throws {
        try PcapLibrary.load()
        // Again, from many threads at once: one load, the same answer for every caller.
        try concurrentLoads(16)
    }

    func concurrentLoads(_ count: Int) throws {
        let failures = Mutex<[CaptureError]>([])
        DispatchQueue.concurrentPerform(iterations: count) { _ in
            do throws(CaptureError) {
                try PcapLibrary.load()
            } catch {
                failures.withLock { $0.append(error) }
            }
        }
        #expect(failures.withLock { $0 }.isEmpty)
    }

    @Test func aMissingLibraryIsNamedWithWhatToDo() {
        let error = #expect(throws: CaptureError.self) { try PcapLibrary.load(named: "libpcap-missing.so.0") }
        guard case .library(let detail) = error else {
            Issue.record("not a library error: \(String(describing: error))")
            return
        }
        #expect(detail == "libpcap-missing.so.0: cannot open shared object file: No such file or directory")
        let message = error?.description ?? ""
        #expect(message.hasPrefix("libpcap could not be loaded (libpcap-missing.so.0: cannot open shared object file"))
        #expect(message.contains("install libpcap0.8 (Debian/Ubuntu"))
        #expect(message.contains("or libpcap (RHEL), or run without --capture"))
    }

    @Test func aLibraryWithoutLibpcapsFunctionsIsRefused() {
        // libm opens, but has no pcap_create: the loader says which function is missing.
        let error = #expect(throws: CaptureError.self) { try PcapLibrary.load(named: "libm.so.6") }
        guard case .library(let detail) = error else {
            Issue.record("not a library error: \(String(describing: error))")
            return
        }
        #expect(detail.hasSuffix("libm.so.6: undefined symbol: pcap_create"), "\(detail)")
    }
}
