import DrChronoAPI
import Mirror

/// One piece of an initial load: a resource, the part of it (`scope`), and how to ask.
/// Jobs run in order of what a person will look at next.
struct SyncJob: Sendable, Equatable {
    var resource: MirrorResource
    /// `today`, `around`, `before`, `after` or `all`: its row in `sync_state`.
    var scope: String
    var query: [String: String]
    var bulk: Bool

    /// The initial load: today's schedule first, then the weeks around it, then
    /// patients, then the rest of the schedule, then charts and billing.
    ///
    /// Today comes in pages of 20 — the first page is on screen after one request —
    /// unless the practice is big enough that a bulk list is far cheaper (above ten
    /// doctors, a day is more than ten pages).
    static func initialLoad(today: LocalDateTime, doctors: Int = 0) -> [SyncJob] {
        let day = today.dateString
        let aroundStart = today.adding(days: -14).dateString
        let aroundEnd = today.adding(days: 28).dateString
        var jobs = MirrorResource.allCases.filter(\.isReference).map { SyncJob(resource: $0, scope: "all", query: [:], bulk: false) }
        jobs += [
            doctors > 10
                ? SyncJob(resource: .appointments, scope: "today", query: ["date_range": "\(day)/\(day)"], bulk: true)
                : SyncJob(resource: .appointments, scope: "today", query: ["date": day], bulk: false),
            SyncJob(resource: .appointments, scope: "around", query: ["date_range": "\(aroundStart)/\(aroundEnd)"], bulk: true),
            SyncJob(resource: .patients, scope: "all", query: [:], bulk: true),
            // Billing of recent visits, before the schedule's history.
            SyncJob(resource: .lineItems, scope: "recent", query: ["since": today.adding(days: -30).dateString], bulk: true),
            SyncJob(
                resource: .appointments, scope: "before", query: ["date_range": "2000-01-01/\(today.adding(days: -15).dateString)"],
                bulk: true),
            SyncJob(
                resource: .appointments, scope: "after", query: ["date_range": "\(today.adding(days: 29).dateString)/2100-12-31"],
                bulk: true),
            SyncJob(resource: .clinicalNotes, scope: "all", query: [:], bulk: true),
            SyncJob(resource: .lineItems, scope: "all", query: [:], bulk: true),
        ]
        jobs += [MirrorResource.problems, .medications, .allergies, .documents].map {
            SyncJob(resource: $0, scope: "all", query: [:], bulk: false)
        }
        return jobs
    }
}
