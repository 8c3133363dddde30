import Foundation
import Mirror

/// Holds a profile's sync lease through a long piece of work — an initial load, a
/// `sync --once` pass — renewing it in the background so that no other process starts
/// the same work meanwhile.
///
/// Only the lease holder sends background requests: a process that cannot take the
/// lease sends nothing and says so.
public final class LeaseKeeper: Sendable {
    public let holder: String
    private let mirror: MirrorDatabase
    private let renewing: Task<Void, Never>

    private init(mirror: MirrorDatabase, holder: String) {
        self.mirror = mirror
        self.holder = holder
        renewing = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(SyncLease.checkEvery))
                if Task.isCancelled { break }
                _ = try? await mirror.pool.write { db in try SyncLease.acquire(db, holder: holder, now: Date()) }
            }
        }
    }

    /// Takes the lease for `holder`, or answers nil when another process holds it.
    /// Throws when the lease cannot be written (a full disk): that is not someone else's lease.
    public static func take(_ mirror: MirrorDatabase, holder: String = SyncLease.newHolder()) async throws -> LeaseKeeper? {
        let held = try await mirror.pool.write { db in try SyncLease.acquire(db, holder: holder, now: Date()) }
        return held ? LeaseKeeper(mirror: mirror, holder: holder) : nil
    }

    /// Stops renewing; with `release`, gives the lease up so another may take it at once
    /// (a daemon that goes on under the same holder keeps it instead).
    public func stop(release: Bool) async {
        renewing.cancel()
        guard release else { return }
        let holder = self.holder
        try? await mirror.pool.write { db in try SyncLease.release(db, holder: holder) }
    }

    deinit { renewing.cancel() }
}
