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
        jobs += [MirrorResource.problems, .medications, .allergies, .documents, .patientLabResults].map {
            SyncJob(resource: $0, scope: "all", query: [:], bulk: false)
        }
        // The day's payments and the checks of today's and tomorrow's visits: not history.
        jobs += [MirrorResource.patientPayments, .eligibilityChecks, .lineItemDeletions, .labOrders].map {
            SyncJob(resource: $0, scope: "all", query: $0.window(today: today) ?? [:], bulk: false)
        }
        return jobs
    }
}

extension SyncJob {
    /// Marks a job's `sync_state` row when its bulk list proved too long to read within
    /// the life of its uuid: its parts (``parts(doctors:today:)``) then run in its place.
    static let splitMarker = "split"

    /// The job in smaller bulk lists: a date range in two (the appointments), or one
    /// list per doctor (what has no date to split on). Nil when it cannot be split.
    ///
    /// Where the rows are decides the cut: a practice's schedule is years behind today
    /// and months ahead of it. A range around today is cut at today; one far from it
    /// loses all but the year nearest today (often empty beyond, at three requests);
    /// a year or less is halved.
    func parts(doctors: [Int], today: LocalDateTime) -> [SyncJob]? {
        guard bulk else { return nil }
        let base = scope.split(separator: "@").first.map(String.init) ?? scope
        if let range = query["date_range"] {
            let ends = range.split(separator: "/").compactMap { LocalDateTime(String($0)) }
            guard ends.count == 2, ends[0].dayNumber < ends[1].dayNumber else { return nil }
            let (first, last, now) = (ends[0].dayNumber, ends[1].dayNumber, today.dayNumber)
            let cut: Int  // the last day of the first part
            if first < now && now < last {
                cut = now
            } else if last - first > 365 {
                cut = last <= now ? last - 366 : first + 365
            } else {
                cut = (first + last) / 2
            }
            let middle = LocalDateTime(secondsSinceEpoch: cut * 86400)
            return [(ends[0], middle), (middle.adding(days: 1), ends[1])].map { from, to in
                let part = "\(from.dateString)/\(to.dateString)"
                var query = query
                query["date_range"] = part
                return SyncJob(resource: resource, scope: "\(base)@\(part)", query: query, bulk: true)
            }
        }
        guard query["doctor"] == nil, !doctors.isEmpty else { return nil }
        return doctors.map { doctor in
            var query = query
            query["doctor"] = String(doctor)
            return SyncJob(resource: resource, scope: "\(base)@doctor=\(doctor)", query: query, bulk: true)
        }
    }
}
