internal import CCurl
import NLSProbeCore

/// The certificate chain a TLS peer presented, as the handshake callbacks recorded it: at most
/// `NLS_CHAIN_MAX` certificates, leaf first, each name within `NLS_NAME_MAX` bytes. What did not
/// fit is said, never dropped in silence: a cut name ends in "…" in its certificate, and `omitted`
/// counts the certificates left out (the report has no field for it; the engine logs it).
struct PresentedChain: Sendable, Equatable {
    /// One recorded certificate and whether its names were cut.
    struct Entry: Sendable, Equatable {
        /// The certificate as recorded.
        var certificate: CertificateInfo
        /// The subject did not fit and was cut.
        var subjectCut = false
        /// The issuer did not fit and was cut.
        var issuerCut = false
    }

    /// What ends a name that was cut.
    static let cutMarker = "…"

    /// The certificates kept, leaf first.
    var certificates: [CertificateInfo]
    /// Certificates the peer presented beyond those kept (0 when every one was kept).
    var omitted: Int
    /// True when a subject or issuer was cut.
    var namesCut: Bool

    /// True when the certificates hold less than the peer presented.
    var isTruncated: Bool { omitted > 0 || namesCut }

    /// A chain of `entries` out of `presented` certificates.
    init(entries: [Entry], presented: Int) {
        certificates = entries.map { entry in
            var certificate = entry.certificate
            if entry.subjectCut { certificate.subject += Self.cutMarker }
            if entry.issuerCut { certificate.issuer += Self.cutMarker }
            return certificate
        }
        omitted = max(0, presented - entries.count)
        namesCut = entries.contains { $0.subjectCut || $0.issuerCut }
    }

    /// What the handshake callbacks recorded in `context` (empty when they recorded nothing).
    init(recordedIn context: UnsafePointer<nls_probe_ctx>) {
        let count = Int(context.pointee.tls_chain_count)
        guard count > 0, let chain = context.pointee.tls_chain else {
            self.init(entries: [], presented: 0)
            return
        }
        let entries = UnsafeBufferPointer(start: chain, count: count).map { recorded in
            Entry(
                certificate: CertificateInfo(
                    subject: CText.string(recorded.subject), issuer: CText.string(recorded.issuer),
                    notBefore: CText.string(recorded.not_before), notAfter: CText.string(recorded.not_after),
                    sha256: CText.string(recorded.sha256)),
                subjectCut: recorded.subject_cut != 0, issuerCut: recorded.issuer_cut != 0)
        }
        self.init(entries: entries, presented: Int(context.pointee.tls_chain_presented))
    }
}
