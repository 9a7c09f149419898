import Foundation
import NLSProbeCore
import NLSProbeEngine

/// The planning a run and `plan` share: refusing a plan too large, expanding a profile for this host.
public enum RunPlanning {
    /// Refuses a profile, as the run would apply it, that expands to more checks than the limit:
    /// counted by multiplying, before anything is expanded or resolved.
    public static func checkSize(of profile: Profile, options: RunOptions) throws(RunError) {
        do {
            try profile.applying(options.override).checkPlanSize(
                maxChecks: options.maxChecks, pathVariants: options.comparePaths ? 2 : 1)
        } catch {
            throw .planTooLarge(error)
        }
    }

    /// The profile expanded for this host, its names resolved; a plan that its resolved names make
    /// too large is refused with its count.
    public static func plan(_ profile: Profile, options: RunOptions) async throws(RunError) -> RunPlan {
        do {
            return try await ProbeRunner.plan(profile, options: options)
        } catch {
            throw .planTooLarge(error)
        }
    }

    /// Plans and runs a profile at once (`ProbeRunner.run(streaming:)`): each check starts as soon
    /// as its own names have resolved; a plan that its resolved names make too large is refused
    /// with its count once the checks already started have finished.
    public static func run(
        _ profile: Profile, runner: ProbeRunner, options: RunOptions, started: Date,
        progress: (@Sendable (Int, Int) -> Void)?
    ) async throws(RunError) -> Report {
        do {
            return try await runner.run(streaming: profile, options: options, started: started, progress: progress)
                .report
        } catch {
            throw .planTooLarge(error)
        }
    }
}
