import NLSCapture
import NLSLicensing
import NLSProbeCore
import NLSProbeEngine
import NLSReporting

/// Why a run could not start or go on, with a message a person can act on.
///
/// ``kind`` tells a command line how to present it: as a usage error (with the usage), as a bad
/// input (exit 64) or as a failure of this host (exit 70).
public enum RunError: Error, Sendable, CustomStringConvertible {
    /// A command-line value that cannot be used (a --bind this host lacks, a malformed --proxy…).
    case invalidSetting(String)
    /// Profiles that could not be loaded: every problem, each already a complete line.
    case profiles([String])
    /// A profile that expands, as the run would apply it, to more checks than the limit.
    case planTooLarge(ProfileError)
    /// A client configuration token that cannot be used, with the file it came from.
    case token(path: String, TokenError)
    /// An output folder that cannot take the reports.
    case outputFolder(String)
    /// The run's file names could not be claimed in the output folder.
    case fileNames(String)
    /// The probe engine could not start (threads, libcurl).
    case engine(EngineError)
    /// `captureRequired` was set and the capture could not start.
    case capture(CaptureError)

    /// How a command line presents the error.
    public enum Kind: Sendable, Equatable {
        /// A usage error: print the message with the command's usage, exit 64.
        case usage
        /// A bad input found while running: print the message, exit 64.
        case input
        /// This host failed the run (a folder, the engine): print the message, exit 70.
        case host
    }

    /// How a command line presents the error.
    public var kind: Kind {
        switch self {
        case .invalidSetting: .usage
        case .profiles, .planTooLarge, .token, .capture: .input
        case .outputFolder, .fileNames, .engine: .host
        }
    }

    /// The message (every line, for `.profiles`).
    public var description: String {
        switch self {
        case .invalidSetting(let message): message
        case .profiles(let problems): problems.joined(separator: "\n")
        case .planTooLarge(let error): error.description
        case .token(let path, let error): error.message(file: path)
        case .outputFolder(let message), .fileNames(let message): message
        case .engine(let error): error.description
        case .capture(let error): error.description
        }
    }
}
