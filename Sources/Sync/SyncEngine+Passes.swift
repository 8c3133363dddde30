import DrChronoAPI
import Foundation
import GRDB
import Logging
import Mirror

/// Incremental passes: what changed since each resource was last read, in pages or in
/// bulk, never paying twice for rows already seen.
extension SyncEngine {
    /// Fetches what changed since each resource's bookmark, for `resources`.
    public func pass(_ resources: [MirrorResource] = MirrorResource.allCases) async throws -> PassReport {
        var report = PassReport()
        let before = requests
        for resource in resources where reader.readsSettings || !resource.isPracticeWide {
            let start = requests
            do {
                // A kept month moves with the calendar: what fell out of it goes (a write only
                // when there is something to drop: every commit wakes the consoles).
                let today = await today()
                if try await mirror.pool.read({ db in try MirrorWriter.prunable(resource, today: today, in: db) }) {
                    try await mirror.write(.window) { db in try MirrorWriter.prune(resource, today: today, in: db) }
                }
                if resource.supportsSince {
                    let (stored, deferred) = try await changes(of: resource)
                    report.rows[resource] = stored
                    // Two seconds more than the lag: the pass that comes back then asks `since`
                    // a second after the run (`since` includes its second), not the run's second.
                    if deferred { report.deferred[resource] = commitLag + 2 }
                } else {
                    report.rows[resource] = try await reread(resource)
                }
                if resource == .labOrders { try await readResultsOfTheDay() }
            } catch APIError.forbidden where resource.isOptional {
                // Not this login's to read: the rest of the pass goes on.
                report.rows[resource] = 0
            }
            report.requestsBy[resource] = requests - start
        }
        report.requests = requests - before
        return report
    }

    /// Reads what changed of `resource`; answers the rows stored and whether the pass
    /// was put off.
    ///
    /// Rows stamped within ``commitLag`` of the pass's start are read again by the next
    /// pass (a late commit may sit among them). For a few rows that costs nothing; for a
    /// bulk change caught as it happens — hundreds of rows with one second — it would
    /// cost every page twice. So a pass that finds more than a page, some of it that
    /// fresh, stores its first page and comes back once the lag has passed: then one
    /// complete read covers the bulk change and the next pass starts after it. Only once
    /// in a row, so a practice busy all the time is still read through.
    func changes(of resource: MirrorResource) async throws -> (Int, Bool) {
        let all = reader.scope("all")
        let state = try await mirror.pool.read { db in try SyncBookmark.fetch(db, resource, all) }
        var query: [String: String] = ["page_size": String(DrChronoClient.pageSize(for: resource.path))]
        query.merge(narrowing(resource)) { $1 }
        if let seen = state.seenThrough.flatMap(LocalDateTime.init) {
            // What changed before the last complete pass began, that pass read. Never
            // later than just after the newest row stored, so a server clock read in
            // another zone than its rows' cannot skip a change.
            var since = seen.adding(seconds: -Int(commitLag))
            if let bookmark = state.bookmark.flatMap(LocalDateTime.init), bookmark.adding(seconds: 1) < since {
                since = bookmark.adding(seconds: 1)
            }
            query["since"] = since.description
        } else if let bookmark = state.bookmark.flatMap(LocalDateTime.init) {
            query["since"] = bookmark.adding(seconds: -Int(lookback)).description
        } else if let window = resource.window(today: await today()) {
            // Nothing read yet: the day's part, never the history.
            query.merge(window) { $1 }
        } else if resource == .appointments {
            // Appointments cannot be listed without a date: nothing loaded yet means
            // the initial load has not run.
            return (0, false)
        }
        if resource == .appointments { query["show_archived"] = "true" }
        let mayPutOff = putOff.remove(resource) == nil
        var url: String? = pathWithQuery(resource.path, query)
        var stored = 0
        var bulkChange = false
        var passStarted: LocalDateTime?
        while let current = url {
            // A bulk change — a reminder run stamping thousands of visits with one
            // second, 20 to a page — is read on through a bulk list, a thousand rows a
            // request.
            if bulkChange, resource.hasBulkList {
                var bulkQuery = query
                bulkQuery["page_size"] = nil
                return (stored + (try await readChangesInBulk(resource, query: bulkQuery, passStarted: passStarted)), false)
            }
            requests += 1
            let response = try await client.send(.get(current), priority: .background)
            // The server's clock when the pass began: the bookmark for rows that carry
            // no updated_at of their own.
            if passStarted == nil { passStarted = serverTime(response) }
            let body = response.json?.objectValue ?? [:]
            let rows = (body["results"]?.arrayValue ?? body["data"]?.arrayValue ?? []).compactMap(\.objectValue)
            let next = body.string("next").flatMap { $0.isEmpty ? nil : $0 }
            let fallback = passStarted
            if mayPutOff, next != nil, stored == 0, let started = passStarted {
                let settling = started.adding(seconds: -Int(commitLag))
                if rows.contains(where: { row in row.dateTime("updated_at").map { $0 > settling } ?? false }) {
                    // Rows only: the bookmarks stay where the last complete pass left them.
                    try await mirror.write(.pass) { db in
                        _ = try MirrorWriter.store(rows, as: resource, in: db, keepingFields: self.reader.keepsFields)
                    }
                    putOff.insert(resource)
                    return (rows.count, true)
                }
            }
            try await mirror.write(.pass) { db in
                let result = try MirrorWriter.store(rows, as: resource, in: db, keepingFields: self.reader.keepsFields)
                var fresh = try SyncBookmark.fetch(db, resource, all)
                fresh.advance(to: result.newestUpdate ?? (next == nil && !rows.isEmpty ? fallback : nil))
                // The last page read: the pass is complete, and what changed before it
                // began is in the mirror.
                if next == nil, let fallback { fresh.seenThrough = fallback.description }
                try fresh.save(db)
            }
            if stored == 0, next != nil { bulkChange = SyncEngine.isBulkChange(rows) }
            stored += rows.count
            url = next
        }
        return (stored, false)
    }

    /// Whether a pass's full first page is a bulk change: half its rows or more stamped
    /// in one second. The rest is then asked for as a bulk list (a POST, a poll, its
    /// pages of 1,000, which list the first page's rows again): a reminder run of 260
    /// visits costs 4 requests instead of 13, of 5,000 at a large practice about 10
    /// instead of 255. An ordinary busy poll — a large practice's 45 seconds of arrivals and
    /// bookings, stamped over many seconds — keeps paging: a bulk list would cost it
    /// more than its second or third page.
    static func isBulkChange(_ rows: [JSONObject]) -> Bool {
        var seconds: [String: Int] = [:]
        for row in rows { if let stamp = row.string("updated_at") { seconds[String(stamp.prefix(19)), default: 0] += 1 } }
        return (seconds.values.max() ?? 0) * 2 >= max(rows.count, 2)
    }

    /// The rest of a pass (everything since the same moment) through a bulk list; the
    /// pass is complete at its end. A list that expires is left for the next pass, which
    /// starts again from the same bookmark.
    func readChangesInBulk(_ resource: MirrorResource, query: [String: String], passStarted: LocalDateTime?) async throws -> Int {
        let (start, _) = try await startBulk(SyncJob(resource: resource, scope: "pass", query: query, bulk: true))
        let all = reader.scope("all")
        var url: String? = start
        var stored = 0
        var wait = 0.5
        while let current = url {
            requests += 1
            let body = try await client.json(.get(current), priority: .background).objectValue ?? [:]
            if body.string("status") != "Complete" {
                try await time.sleep(seconds: wait)
                wait = min(wait * 2, 10)
                continue
            }
            let rows = (body["results"]?.arrayValue ?? []).compactMap(\.objectValue)
            let next = body.string("next").flatMap { $0.isEmpty ? nil : $0 }
            try await mirror.write(.pass) { db in
                let result = try MirrorWriter.store(rows, as: resource, in: db, keepingFields: self.reader.keepsFields)
                var fresh = try SyncBookmark.fetch(db, resource, all)
                fresh.advance(to: result.newestUpdate)
                if next == nil, let passStarted { fresh.seenThrough = passStarted.description }
                try fresh.save(db)
            }
            stored += rows.count
            url = next
        }
        return stored
    }

    /// The HTTP `Date` of a response, on the practice's wall clock.
    func serverTime(_ response: HTTPResponse) -> LocalDateTime? {
        guard let text = response.header("date") else { return nil }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text).map { LocalDateTime($0, in: timeZone) }
    }

    /// Lists without `since` are small — set-up lists, the checks of today's and
    /// tomorrow's visits: read whole, and what is gone (or out of the window) removed.
    func reread(_ resource: MirrorResource) async throws -> Int {
        let query = (resource.window(today: await today()) ?? [:]).merging(narrowing(resource)) { $1 }
        let (rows, ids) = try await listAll(resource, query: query)
        let side = reader.doctors
        try await mirror.write(.pass) { db in
            try MirrorWriter.store(rows, as: resource, in: db, keepingFields: self.reader.keepsFields)
            let gone = try MirrorWriter.ids(of: resource, onSideOf: side, in: db).subtracting(ids)
            try MirrorWriter.remove(ids: Array(gone), of: resource, in: db)
        }
        return rows.count
    }
}
