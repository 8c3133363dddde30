import DrChronoAPI
import Foundation
import Mirror

extension SyncEngine {
    /// What a catch-up did.
    public struct CatchUpReport: Sendable {
        /// The mirror belonged to another practice, user or API version and was emptied.
        public var rebuilt: Bool
        /// The practice was loaded from the start (a new or rebuilt mirror).
        public var loaded: Bool
        /// The pass that brought a loaded mirror up to date (nil after a load).
        public var pass: PassReport?
    }

    /// Brings the mirror up to date with DrChrono, whatever state it is in: adopts the
    /// profile's practice and user (emptying a mirror of another), loads the practice
    /// if the mirror is new — today's schedule first, showing `progress` — or else runs
    /// one pass for what changed. The one entry point `chronoterm sync`, the console
    /// and the demo use; call it while holding the profile's lease.
    public func catchUp(progress: @Sendable (Progress) -> Void = { _ in }) async throws -> CatchUpReport {
        let rebuilt = try await ensureEpoch()
        if try await isLoaded() == false {
            try await load(progress: progress)
            return CatchUpReport(rebuilt: rebuilt, loaded: true, pass: nil)
        }
        return CatchUpReport(rebuilt: rebuilt, loaded: false, pass: try await pass())
    }
}
