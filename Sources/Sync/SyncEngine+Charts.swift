import DrChronoAPI
import Foundation
import GRDB
import Mirror

/// One object read when it is wanted: a webhook's hint, a chart a person opened, the
/// day's lab results.
extension SyncEngine {
    /// Re-fetches one appointment or patient (a webhook's hint), through the budget;
    /// answers whether DrChrono has it. A row it no longer has is removed — unless
    /// `removeIfMissing` is false: another login may still see what this one cannot.
    @discardableResult
    public func refresh(
        _ resource: MirrorResource, id: String, priority: RequestPriority = .write, removeIfMissing: Bool
    ) async throws -> Bool {
        let row: JSONObject?
        do {
            row = try await fetch(
                .get("\(resource.path)/\(id)", query: resource == .appointments ? ["show_archived": "true"] : [:]), priority: priority)
        } catch APIError.notFound {
            row = nil
        }
        guard row != nil || removeIfMissing else { return false }
        try await mirror.write(.pass) { db in
            if let row {
                try MirrorWriter.store([row], as: resource, in: db, keepingFields: self.reader.keepsFields)
            } else {
                try MirrorWriter.remove(ids: [id], of: resource, in: db)
            }
        }
        return row != nil
    }

    /// Fetches one patient's chart now, ahead of everything queued: what happens when
    /// a person opens a chart. Its lab orders and their results, and the vitals of its
    /// last three months of visits, come only this way (and the day's patients' results
    /// with each pass): DrChrono sends vitals only on verbose appointments, 25 a page.
    ///
    /// The patient's own details come first, in one request, when the mirror's copy is
    /// older than ``chartPatientAge`` — the patients' list last read through longer ago
    /// than that — so a phone number changed in the web app a minute ago is on the chart.
    public func loadChart(patient: Int) async throws {
        // Not there through a login that reads part of the practice is not gone.
        if try await patientCopyIsOld(patient) {
            try await refresh(.patients, id: String(patient), priority: .interactive, removeIfMissing: reader.doctors == nil)
        }
        for resource in [MirrorResource.clinicalNotes, .problems, .medications, .allergies, .documents, .labOrders, .patientLabResults] {
            do {
                try await readAll(pathWithQuery(resource.path, ["patient": String(patient), "page_size": "250"])) { rows, db in
                    try MirrorWriter.store(rows, as: resource, in: db, keepingFields: self.reader.keepsFields)
                }
            } catch APIError.forbidden where resource.isOptional {
                continue
            }
        }
        let orders = try await mirror.pool.read { db in try MirrorQueries.ordersWantingResults(db, patients: [patient]) }
        try await readResults(of: orders, priority: .interactive)
        let today = await today()
        let range = "\(today.adding(days: -90).dateString)/\(today.dateString)"
        try await readAll(pathWithQuery("/api/appointments", ["patient": String(patient), "verbose": "true", "date_range": range])) {
            rows, db in try MirrorWriter.storeVitals(rows, in: db)
        }
    }

    /// How old the mirror's copy of a patient may be when their chart is opened before it
    /// is read again on its own: the sync's own rhythm for patients.
    public static let chartPatientAge: TimeInterval = 300

    /// Whether the mirror holds `patient` and the patients' list was last read through
    /// more than ``chartPatientAge`` ago (or never), on DrChrono's clock.
    func patientCopyIsOld(_ patient: Int) async throws -> Bool {
        let all = reader.scope("all")
        let (held, seen, zone) = try await mirror.pool.read { db in
            (
                try Bool.fetchOne(db, sql: "SELECT 1 FROM patients WHERE id = ?", arguments: [patient]) ?? false,
                try SyncBookmark.find(db, resource: MirrorResource.patients.rawValue, scope: all)?.seenThrough.flatMap(
                    LocalDateTime.init),
                try MirrorQueries.practiceTimeZone(db)
            )
        }
        guard held else { return false }
        guard let seen else { return true }
        let now = LocalDateTime(await time.now(), in: zone ?? timeZone)
        return seen.adding(seconds: Int(Self.chartPatientAge)) < now
    }

    /// Reads every page of a list at the interactive priority, storing each as it comes.
    func readAll(_ path: String, store: @escaping @Sendable ([JSONObject], Database) throws -> Void) async throws {
        var url: String? = path
        while let current = url {
            let body = try await fetch(.get(current), priority: .interactive)
            let rows = (body["results"]?.arrayValue ?? body["data"]?.arrayValue ?? []).compactMap(\.objectValue)
            try await mirror.write(.pass) { db in try store(rows, db) }
            url = body.string("next").flatMap { $0.isEmpty ? nil : $0 }
        }
    }

    /// The results of new or changed lab orders of the patients seen today, so their
    /// doctors see them flagged in their day: at most 20 orders a pass, the patients seen
    /// soonest first. DrChrono lists electronic results by order only, so each order costs
    /// a request; a large practice's first day (~170 such orders) spreads its backlog over
    /// the day's hourly passes (BENCHMARKS.md).
    func readResultsOfTheDay() async throws {
        // The practice's day: a first load starts before the doctors (and so the practice's
        // time zone) are known to whoever made this engine.
        let zone = try await mirror.pool.read { db in try MirrorQueries.practiceTimeZone(db) } ?? timeZone
        let day = LocalDateTime(await time.now(), in: zone).dateString
        let orders = try await mirror.pool.read { db in
            try MirrorQueries.ordersWantingResults(db, patients: try MirrorQueries.patientsSeen(db, day: day))
        }
        try await readResults(of: Array(orders.prefix(20)), priority: .background)
    }

    func readResults(of orders: [Int], priority: RequestPriority) async throws {
        for order in orders {
            var url: String? = pathWithQuery("/api/lab_results", ["order": String(order), "page_size": "250"])
            var rows: [JSONObject] = []
            while let current = url {
                let body = try await fetch(.get(current), priority: priority)
                rows += (body["results"]?.arrayValue ?? body["data"]?.arrayValue ?? []).compactMap(\.objectValue)
                url = body.string("next").flatMap { $0.isEmpty ? nil : $0 }
            }
            let read = rows
            try await mirror.write(.pass) { db in try MirrorWriter.storeLabResults(read, orders: [order], in: db) }
        }
    }
}
