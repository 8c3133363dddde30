import DrChronoAPI
import Foundation
import Mirror

/// Keeps a loaded mirror fresh: each resource polled at the pace its ``SyncPlan`` sets
/// for what is left of the hour, so today's schedule stays under a minute old while the
/// profile spends under a quarter of DrChrono's budget — and, when people or other
/// programs have spent more, the rest gives way before the schedule does.
///
/// Each of the rarely-changing resources also has its deleted rows reconciled daily.
public struct SyncDaemon: Sendable {
    public static let reconciliation: TimeInterval = 24 * 3600

    let engine: any MirrorKeeper
    let time: any TimeSource
    let mirror: MirrorDatabase?
    let holder: String
    let plan: SyncPlan
    /// Runs before each pass while the lease is held: the write queue goes out first.
    let beforePass: @Sendable () async -> Void
    /// Days the mirror's change events are kept: older ones are dropped at the start and
    /// once a day (the profile's `event_retention_days`).
    public var eventRetentionDays = 30

    /// With `mirror`, the daemon syncs only while it holds the profile's sync lease.
    public init(
        engine: any MirrorKeeper, time: any TimeSource, lease mirror: MirrorDatabase? = nil, holder: String = SyncLease.newHolder(),
        plan: SyncPlan = .polling, beforePass: @escaping @Sendable () async -> Void = {}
    ) {
        self.engine = engine
        self.plan = plan
        self.time = time
        self.mirror = mirror
        self.holder = holder
        self.beforePass = beforePass
    }

    /// Whether this daemon may sync now: it holds (or just took) the lease; throws when
    /// the lease cannot be written (a full disk), which is not another's lease.
    func holdsLease(at now: Date) async throws -> Bool {
        guard let mirror else { return true }
        let holder = self.holder
        // Standing by behind a live holder is a look, not a write: every console on the
        // profile asks every few seconds, and a write takes the mirror's write lock.
        if try await mirror.pool.read({ db in try SyncLease.isHeldByAnother(db, than: holder, now: now) }) { return false }
        return try await mirror.pool.write { db in try SyncLease.acquire(db, holder: holder, now: now) }
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
        let start = await time.now()
        // The mirror was just loaded or caught up: every resource is as fresh as now.
        var last = Dictionary(uniqueKeysWithValues: MirrorResource.allCases.map { ($0, start) })
        var comeBack: [MirrorResource: Date] = [:]
        var costs = PassCosts()
        var plan = self.plan
        var reconcileDue = start.addingTimeInterval(SyncDaemon.reconciliation)
        var pruneDue = start
        // The lease is renewed while a push or a pass runs, not only between them: a push
        // of slow answers can outlast the lease, and a holder that lapses mid-push would
        // hand its writes to another sender.
        let renewing = mirror.map { mirror in
            Task { [holder] in
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(SyncLease.checkEvery))
                    // Only the holder renews: a look first, so standing by writes nothing.
                    guard (try? await mirror.pool.read({ db in try SyncLease.isHeld(db, by: holder, now: Date()) })) == true else {
                        continue
                    }
                    _ = try? await mirror.pool.write { db in try SyncLease.renew(db, holder: holder, now: Date()) }
                }
            }
        }
        defer { renewing?.cancel() }
        while !Task.isCancelled {
            let now = await time.now()
            if let end, now >= end { break }
            // Another process syncs this profile: stand by, ready to take over.
            let holds: Bool
            do {
                holds = try await holdsLease(at: now)
            } catch {
                // The lease could not even be written: say why (the disk is full), not "another holds it".
                onFailure(MirrorDatabase.problem(error) ?? error)
                try await time.sleep(seconds: SyncLease.checkEvery)
                continue
            }
            guard holds else {
                onStandby()
                try await time.sleep(seconds: min(SyncLease.checkEvery, end.map { max(0.05, $0.timeIntervalSince(now)) } ?? .infinity))
                continue
            }
            await beforePass()
            let hour = await self.hour(at: now)
            let paces = plan.paces(hour: hour, costs: costs.typical)
            func due(_ resource: MirrorResource) -> Date { comeBack[resource] ?? last[resource]!.addingTimeInterval(paces[resource]!) }
            let ready = MirrorResource.allCases.filter { due($0) <= now }
            if !ready.isEmpty {
                do {
                    var report = try await engine.pass(ready)
                    report.spentThisHour = hour.spent + report.requests
                    report.schedulePace = paces[.appointments]
                    report.scheduleAsOf = try? await engine.mirror.pool.read { db in try MirrorQueries.scheduleCheckedAt(db) }
                    for resource in ready { costs.note(resource, report.requestsBy[resource] ?? 0) }
                    plan.readers = report.readers
                    onPass(report)
                    comeBack = [:]
                    // A pass that met rows still settling comes back once they have.
                    for (resource, wait) in report.deferred { comeBack[resource] = now.addingTimeInterval(wait) }
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
                for resource in ready { last[resource] = now }
            }
            if now >= pruneDue, let mirror {
                let days = eventRetentionDays
                _ = try? await mirror.pool.write { db in try EventLog.prune(keepingDays: days, in: db) }
                pruneDue = now.addingTimeInterval(SyncDaemon.reconciliation)
            }
            if now >= reconcileDue {
                for resource in MirrorResource.allCases where resource.isReconciled {
                    _ = try? await engine.reconcile(resource)
                }
                reconcileDue = now.addingTimeInterval(SyncDaemon.reconciliation)
            }
            let after = await time.now()
            var wait = MirrorResource.allCases.map(due).min()!.timeIntervalSince(after)
            if let end { wait = min(wait, end.timeIntervalSince(after)) }
            // Wake at least every few seconds to renew the lease (when there is one).
            try await time.sleep(seconds: max(0.05, min(wait, mirror == nil ? .infinity : SyncLease.checkEvery)))
        }
        if let mirror {
            let holder = self.holder
            try? await mirror.pool.write { db in try SyncLease.release(db, holder: holder) }
        }
    }
}

extension SyncDaemon {
    /// Where DrChrono's hourly window stands for this profile.
    func hour(at now: Date) async -> SyncPlan.Hour {
        let (spent, policy) = await engine.budgetSpent()
        let seconds = now.timeIntervalSince1970
        return SyncPlan.Hour(
            spent: spent, secondsLeft: 3600 - seconds.truncatingRemainder(dividingBy: 3600),
            backgroundCeiling: policy.ceiling(for: .background))
    }
}

/// What a pass of each resource has cost lately: the median of the last few, so one
/// pass that paged through a bulk change does not make every later one look dear.
struct PassCosts {
    private var recent: [MirrorResource: [Int]] = [:]

    mutating func note(_ resource: MirrorResource, _ requests: Int) {
        recent[resource, default: []].append(requests)
        if recent[resource]!.count > 9 { recent[resource]!.removeFirst() }
    }

    var typical: [MirrorResource: Double] {
        recent.mapValues { costs in Double(costs.sorted()[costs.count / 2]) }
    }
}

extension SyncEngine.PassReport {
    /// The daemon's line for a pass: what it brought, how old today's schedule is and
    /// how often it is checked, and the profile's requests this hour.
    /// "12 rows, 2 requests · today's schedule 1s old, checked every 45s · 38 requests this hour"
    public func line(now: Date) -> String {
        var parts = ["\(rows.values.reduce(0, +)) rows, \(requests) \(requests == 1 ? "request" : "requests")"]
        if let scheduleAsOf {
            var schedule = "today's schedule \(Int(max(0, now.timeIntervalSince(scheduleAsOf)).rounded()))s old"
            if let schedulePace { schedule += ", checked every \(Int(schedulePace.rounded()))s" }
            parts.append(schedule)
        }
        if let wait = deferred.values.max() { parts.append("a bulk change is settling: read in \(Int(wait))s") }
        if let spentThisHour { parts.append("\(spentThisHour) requests this hour") }
        return parts.joined(separator: " · ")
    }
}
