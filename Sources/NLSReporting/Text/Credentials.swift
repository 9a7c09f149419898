import NLSProbeCore

/// The redaction every report format and the command line's messages use: in the text it is
/// given, URLs with a user part (`user:password@`) are shown with `***` in its place.
///
/// It is NLSProbeCore's ``Redaction/urls(in:placeholder:)`` with the reports' placeholder: one
/// redactor for the whole tool. The Markdown report (proxy paths, proxy evidence, the run's
/// proxy), the Prometheus `proxy` label, the terminal table's failed checks and the command
/// line's messages go through it.
public enum Credentials {
    /// `text` with the user part of every URL in it (`scheme://user:password@host`) replaced by `***`.
    public static func redacted(_ text: String) -> String {
        Redaction.urls(in: text, placeholder: Redaction.reportPlaceholder)
    }
}
