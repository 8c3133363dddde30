import DrChronoAPI
import Foundation
import Mirror

/// Performs a ``MirrorRead``: one read transaction through ``MirrorQueries``, the rows
/// handed back as ``Loaded``. Each feature adds the reads its pane needs (in its folder,
/// as `FeatureRead.swift`); this dispatches.
public struct MirrorReader: Sendable {
    public let mirror: MirrorDatabase
    public let timeZone: TimeZone

    public init(mirror: MirrorDatabase, timeZone: TimeZone) { (self.mirror, self.timeZone) = (mirror, timeZone) }

    public func read(_ read: MirrorRead) throws -> Loaded {
        switch read {
        case .schedule(let from, let to, let weekDoctor, let doctors, let practice):
            return .schedule(try schedule(from: from, to: to, weekDoctor: weekDoctor, doctors: doctors, practice: practice))
        case .search(let query, let after): return .search(try search(query, after: after), query: query)
        case .chart(let patient): return .chart(try chart(patient))
        case .billingDay(let day): return try billingDay(day)
        case .lineItems(let visit): return try lineItems(of: visit)
        case .queue:
            let (queued, needsAttention) = try mirror.read { db in (try Outbox.count(db), try Outbox.needingAttention(db)) }
            return .queue(queued: queued, needsAttention: needsAttention)
        case .confirmList(let day): return .confirmList(try confirmList(day))
        case .myDay(let day, let doctors):
            let zone = timeZone
            return .myDay(try mirror.read { db in try MirrorQueries.myDay(db, day: day, doctors: doctors, zone: zone) })
        case .dayTotals(let day): return .dayTotals(try mirror.read { db in try MirrorQueries.dayTotals(db, day: day) })
        case .collections(let day): return .collections(try mirror.read { db in try MirrorQueries.collections(db, day: day) })
        case .payers: return .payers(try mirror.read { db in try MirrorQueries.payers(db) })
        }
    }
}
