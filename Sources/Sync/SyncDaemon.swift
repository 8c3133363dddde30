import DrChronoAPI
import Foundation
import Mirror

/// Keeps a loaded mirror fresh: each resource polled at its own pace, so today's
/// schedule stays under a minute old while the hour's budget is barely touched.
///
/// | what | every | requests an hour |
/// |---|---|---|
/// | appointments (today's schedule among them) | 45 s | 80 |
/// | patients | 5 min | 12 |
/// | clinical notes, line items | 10 min | 12 |
/// | problems, medications, allergies, documents | 30 min | 8 |
/// | doctors, offices, profiles, note fields | 60 min | 4 |
///
/// About 116 requests an hour in steady state: under a quarter of DrChrono's 500.
/// Each of the rarely-changing resources also has its deleted rows reconciled daily.
public struct SyncDaemon: Sendable {
    public static let cadence: [MirrorResource: TimeInterval] = [
        .appointments: 45, .patients: 300, .clinicalNotes: 600, .lineItems: 600,
        .problems: 1800, .medications: 1800, .allergies: 1800, .documents: 1800,
        .doctors: 3600, .offices: 3600, .appointmentProfiles: 3600, .clinicalNoteFieldTypes: 3600,
    ]
    public static let reconciliation: TimeInterval = 24 * 3600

    let engine: SyncEngine
    let time: any TimeSource
    let mirror: MirrorDatabase?
    let holder: String
    /// Runs before each pass while the lease is held: the write queue goes out first.
    let beforePass: @Sendable () async -> Void

    /// With `mirror`, the daemon syncs only while it holds the profile's sync lease.
    public init(
        engine: SyncEngine, time: any TimeSource, lease mirror: MirrorDatabase? = nil, holder: String = SyncLease.newHolder(),
        beforePass: @escaping @Sendable () async -> Void = {}
    ) {
        self.engine = engine
        self.time = time
        self.mirror = mirror
        self.holder = holder
        self.beforePass = beforePass
    }

    /// Whether this daemon may sync now: it holds (or just took) the lease.
    func holdsLease(at now: Date) async -> Bool {
        guard let mirror else { return true }
        let holder = self.holder
        return (try? await mirror.pool.write { db in try SyncLease.acquire(db, holder: holder, now: now) }) ?? false
    }

    /// Runs until cancelled (or until `until`, for tests), reporting each pass.
    /// `onFailure` hears why a pass did not go through — DrChrono unreachable (an
    /// ``APIError``, the console's offline banner) or the mirror not writable (a
    /// ``MirrorProblem``: a full disk) — and the daemon goes on at the next turn;
    /// `onStandby` hears that another process holds the lease.
    public func run(
        until end: Date? = nil, onPass: @Sendable (SyncEngine.PassReport) -> Void = { _ in },
        onFailure: @Sendable (any Error) -> Void = { _ in }, onStandby: @Sendable () -> Void = {}
    ) async throws {
        var due: [MirrorResource: Date] = [:]
        let start = await time.now()
        for resource in MirrorResource.allCases {
            due[resource] = start.addingTimeInterval(SyncDaemon.cadence[resource]!)
        }
        var reconcileDue = start.addingTimeInterval(SyncDaemon.reconciliation)
        while !Task.isCancelled {
            let now = await time.now()
            if let end, now >= end { break }
            // Another process syncs this profile: stand by, ready to take over.
            guard await holdsLease(at: now) else {
                onStandby()
                try await time.sleep(seconds: min(SyncLease.duration / 3, end.map { max(0.05, $0.timeIntervalSince(now)) } ?? .infinity))
                continue
            }
            await beforePass()
            let ready = MirrorResource.allCases.filter { due[$0]! <= now }
            if !ready.isEmpty {
                do {
                    onPass(try await engine.pass(ready))
                } catch let error as APIError {
                    // Offline or throttled: the mirror stays as it is; try at the next turn.
                    onFailure(error)
                } catch is CancellationError {
                    break
                } catch {
                    // The mirror could not be written (a full disk): nothing is lost, the
                    // bookmarks did not move; try at the next turn.
                    onFailure(MirrorDatabase.problem(error) ?? error)
                }
                for resource in ready { due[resource] = now.addingTimeInterval(SyncDaemon.cadence[resource]!) }
            }
            if now >= reconcileDue {
                for resource in MirrorResource.allCases where !resource.reportsDeletions && !resource.isReference {
                    _ = try? await engine.reconcile(resource)
                }
                reconcileDue = now.addingTimeInterval(SyncDaemon.reconciliation)
            }
            let after = await time.now()
            var wait = due.values.min()!.timeIntervalSince(after)
            if let end { wait = min(wait, end.timeIntervalSince(after)) }
            // Wake at least every few seconds to renew the lease.
            try await time.sleep(seconds: max(0.05, min(wait, SyncLease.duration / 3)))
        }
        if let mirror {
            let holder = self.holder
            try? await mirror.pool.write { db in try SyncLease.release(db, holder: holder) }
        }
    }
}
