import Testing

@testable import NLSProbeEngine

/// libcurl is loaded at first use: a host without it, or with a library that is not libcurl, gets
/// a message that names the library and what to install.
struct CurlLibraryTests {
    @Test func theInstalledLibcurlLoadsWithEveryFunctionTheEngineCalls() {
        guard case .success = CurlLibrary.probe(named: "libcurl.so.4") else {
            Issue.record("libcurl.so.4 did not load: \(CurlLibrary.probe(named: "libcurl.so.4"))")
            return
        }
    }

    @Test func aMissingLibraryIsNamedWithWhatToInstall() throws {
        guard case .failure(let error) = CurlLibrary.probe(named: "libnlsprobe-absent.so.9") else {
            Issue.record("a library that does not exist loaded")
            return
        }
        #expect(error.description.hasPrefix("libcurl could not be loaded (libnlsprobe-absent.so.9: cannot open"))
        #expect(error.description.contains("install libcurl4 (Debian, Ubuntu) or libcurl (RHEL)"))
    }

    @Test func aLibraryWithoutLibcurlsFunctionsIsRefused() throws {
        guard case .failure(let error) = CurlLibrary.probe(named: "libz.so.1") else {
            Issue.record("zlib passed for libcurl")
            return
        }
        #expect(error.description.contains("libz.so.1 has no curl_global_init"))
    }
}
