import DrChronoAPI
import Mirror

/// One piece of an initial load: a resource, the part of it (`scope`), and how to ask.
/// Jobs run in order of what a person will look at next.
struct SyncJob: Sendable, Equatable {
    var resource: MirrorResource
    /// `today`, `schedule` or `all`: its row in `sync_state`.
    var scope: String
    var query: [String: String]
    var bulk: Bool
    /// Scopes of the same resource that, all loaded, did this job's work: a mirror
    /// loaded before the schedule came in one range had it in three.
    var doneAs: [String] = []

    /// The initial load: today's schedule first, then patients, the whole schedule,
    /// notes, billing and the charts' lists — each as few requests as the API allows.
    ///
    /// The fewest requests are one bulk list per resource (a POST, a poll, pages of
    /// 1,000) and pages of 250 for the small lists. The load pays two extras for
    /// priority: today's schedule before anything else, and the identity check. Today
    /// comes in pages of 20 — the first page on screen after one request — for up to
    /// three doctors (a day in three pages at most); above that, a bulk list of three
    /// requests is cheaper. The whole schedule then includes today again, at the cost
    /// of part of a page. Measured for the practice sizes in BENCHMARKS.md.
    static func initialLoad(today: LocalDateTime, doctors: Int = 0) -> [SyncJob] {
        let day = today.dateString
        var jobs = MirrorResource.allCases.filter(\.isReference).map { SyncJob(resource: $0, scope: "all", query: [:], bulk: false) }
        jobs += [
            doctors > 3
                ? SyncJob(resource: .appointments, scope: "today", query: ["date_range": "\(day)/\(day)"], bulk: true)
                : SyncJob(resource: .appointments, scope: "today", query: ["date": day], bulk: false),
            SyncJob(resource: .patients, scope: "all", query: [:], bulk: true),
            SyncJob(
                resource: .appointments, scope: "schedule", query: ["date_range": "2000-01-01/2100-12-31"], bulk: true,
                doneAs: ["around", "before", "after"]),
            SyncJob(resource: .clinicalNotes, scope: "all", query: [:], bulk: true),
            SyncJob(resource: .lineItems, scope: "all", query: [:], bulk: true),
        ]
        jobs += [MirrorResource.problems, .medications, .allergies, .documents].map {
            SyncJob(resource: $0, scope: "all", query: [:], bulk: false)
        }
        return jobs
    }
}
