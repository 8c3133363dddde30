import DrChronoAPI
import Foundation
import GRDB
import Logging
import Mirror

/// Keeps the mirror fresh from DrChrono within the request budget.
///
/// - ``load(progress:)``: the initial load, job by job in the order a person needs
///   them, resumable: each page's rows and the position after it commit together, so
///   after a crash at most one page is fetched twice.
/// - ``pass(_:)``: an incremental pass: what changed `since` each bookmark (less a
///   lookback), upserted by id; deleted appointments through `show_archived`.
/// - ``reconcile(_:)``: for resources that never report deletions, the ids DrChrono
///   still lists, compared with the mirror's.
public actor SyncEngine {
    public struct Progress: Sendable {
        public var job: String
        public var rows: Int
        public var requests: Int
        public var jobsDone: Int
        public var jobsTotal: Int
    }

    public struct PassReport: Sendable, Equatable {
        public var rows: [MirrorResource: Int] = [:]
        public var requests = 0
        /// Requests by resource.
        public var requestsBy: [MirrorResource: Int] = [:]
        /// Resources whose pass stopped after a page because many rows were still
        /// settling, and how many seconds until they have (see ``SyncEngine/commitLag``).
        public var deferred: [MirrorResource: TimeInterval] = [:]
        /// Filled in by the daemon: the profile's requests this hour so far, and how
        /// often today's schedule is checked at the moment.
        public var spentThisHour: Int?
        public var schedulePace: TimeInterval?
        /// When today's schedule was last read whole (``MirrorQueries/scheduleCheckedAt(_:)``).
        public var scheduleAsOf: Date?
        /// The DrChrono logins the pass read through (``GrantedSync``): the daemon's plan
        /// paces the schedule for that many.
        public var readers = 1
    }

    public nonisolated let mirror: MirrorDatabase
    let client: DrChronoClient
    /// The login this engine reads through and its part of the practice (``GrantPlan``):
    /// its bookmarks are its own, and it removes only rows of the doctors it reads for.
    public nonisolated let reader: GrantPlan.Reader
    let time: any TimeSource
    let timeZone: TimeZone
    /// Re-read changes this far behind the bookmark, before a resource has had a
    /// complete incremental pass (right after the initial load).
    public nonisolated let lookback: TimeInterval
    /// Afterwards, re-read this far behind the moment the last complete pass began (the
    /// server's `Date`): a row committed just after that pass read its page, stamped a
    /// little before it (a long transaction, a row that moved while the pass paged),
    /// must not slip through. Short, so that rows a pass has seen — a bulk change that
    /// stamped hundreds of rows with one second — are not paid for at every poll.
    public nonisolated let commitLag: TimeInterval
    /// The most rows the load reads through one bulk list. DrChrono keeps a bulk list's
    /// uuid an hour; at 500 requests an hour a list of a million appointments (a
    /// thousand pages) expires long before it is read, and asking again only starts it
    /// over. A longer list is split (``SyncJob/parts(doctors:today:)``) into lists that fit.
    public nonisolated let bulkRowLimit: Int
    let logger = Logger(label: "chronoterm.sync")
    var requests = 0
    /// Resources whose last pass was put off: the next one reads through, however busy.
    var putOff = Set<MirrorResource>()

    public init(
        mirror: MirrorDatabase, client: DrChronoClient, timeZone: TimeZone, time: any TimeSource = SystemTime(),
        lookback: TimeInterval = 300, commitLag: TimeInterval = 30, bulkRowLimit: Int? = nil, reader: GrantPlan.Reader = .sole
    ) {
        self.reader = reader
        // Pages of 1,000 at six tenths of the hour's background share: room for the
        // hour's polls, other people's consoles and a list begun late in the hour.
        self.bulkRowLimit = bulkRowLimit ?? max(1, client.budgetPolicy.ceiling(for: .background) * 6 / 10) * 1000
        self.lookback = lookback
        self.commitLag = commitLag
        self.mirror = mirror
        self.client = client
        self.time = time
        self.timeZone = timeZone
    }

    /// The initial load's jobs for the practice as the mirror knows it so far.
    func jobs() async throws -> [SyncJob] {
        let practice = try await mirror.pool.read { db in try MirrorQueries.count(db, .doctors) }
        // A reader of some doctors plans for their day, not the practice's.
        let doctors = reader.doctors.map { min($0.count, practice) } ?? practice
        return SyncJob.initialLoad(today: await today(), doctors: doctors).compactMap { job in
            if job.resource.isPracticeWide && !reader.readsSettings { return nil }
            var job = job
            job.scope = reader.scope(job.scope)
            job.doneAs = job.doneAs.map(reader.scope)
            if !job.resource.isPracticeWide, let doctor = reader.narrowTo { job.query["doctor"] = String(doctor) }
            return job
        }
    }

    /// The practice's today.
    func today() async -> LocalDateTime { LocalDateTime(await time.now(), in: timeZone).startOfDay }

    // MARK: Initial load

    /// Whether every job of the initial load has finished.
    public func isLoaded() async throws -> Bool {
        let jobs = try await jobs()
        return try await mirror.pool.read { db in
            try jobs.allSatisfy { try SyncBookmark.fetch(db, $0.resource, $0.scope).loaded }
        }
    }

    public func load(progress: @Sendable (Progress) -> Void = { _ in }) async throws {
        var jobs = try await jobs()
        var rows = 0
        var index = 0
        while index < jobs.count {
            let job = jobs[index]
            let done = index
            let total = jobs.count
            rows += try await run(job) { stored in
                progress(
                    Progress(
                        job: "\(job.resource.rawValue) (\(job.scope))", rows: rows + stored, requests: self.requests, jobsDone: done,
                        jobsTotal: total))
            }
            // Once the doctors are known, the rest of the plan can fit the practice's size.
            if job.resource == .doctors { jobs = try await self.jobs() }
            index += 1
        }
        // The results of the day's patients' labs, for their doctors' day.
        do { try await readResultsOfTheDay() } catch APIError.forbidden {}
        progress(Progress(job: "done", rows: rows, requests: requests, jobsDone: jobs.count, jobsTotal: jobs.count))
    }

    /// Runs one job from where it stopped; answers the rows stored. A day-part list the
    /// login may not read (a profile logged in before chronoterm asked for its scope)
    /// is left out, said in the log, and never stops the rest.
    func run(_ job: SyncJob, onPage: (Int) -> Void) async throws -> Int {
        do {
            return try await runJob(job, onPage: onPage)
        } catch APIError.forbidden where job.resource.isOptional {
            logger.warning(
                "DrChrono does not let this login read \(job.resource.rawValue); run `chronoterm login` again to see them",
                metadata: ["resource": "\(job.resource.rawValue)"])
            try await mirror.write(.pass) { db in
                var row = try SyncBookmark.fetch(db, job.resource, job.scope)
                row.loaded = true
                row.resumeURL = nil
                try row.save(db)
            }
            return 0
        }
    }

    func runJob(_ job: SyncJob, onPage: (Int) -> Void) async throws -> Int {
        var state = try await mirror.pool.read { db in try SyncBookmark.fetch(db, job.resource, job.scope) }
        if state.loaded { return 0 }
        if !job.doneAs.isEmpty {
            let done = try await mirror.pool.read { db in
                try job.doneAs.allSatisfy { try SyncBookmark.fetch(db, job.resource, $0).loaded }
            }
            if done {
                state.loaded = true
                let finished = state
                try await mirror.write(.pass) { db in try finished.save(db) }
                return 0
            }
        }
        if state.resumeURL == SyncJob.splitMarker { return try await runParts(of: job, onPage: onPage) }
        var stored = 0
        while true {
            var url = state.resumeURL
            // The first page of a bulk list begun here, and the pages read from it: a
            // list too long for its uuid's hour is split rather than begun again.
            var justBegun = false
            var pagesRead = 0
            if url == nil {
                var began: LocalDateTime?
                if job.bulk { (url, began) = try await startBulk(job) } else { url = firstPage(job) }
                justBegun = job.bulk
                let (start, startedAt) = (url, began)
                state = try await mirror.write(.pass) { db in
                    var fresh = try SyncBookmark.fetch(db, job.resource, job.scope)
                    fresh.resumeURL = start
                    // A bulk list is a snapshot taken now: what changes later, a pass reads.
                    if fresh.seenThrough == nil, let startedAt { fresh.seenThrough = startedAt.description }
                    try fresh.save(db)
                    return fresh
                }
            }
            var wait = 0.5
            while let current = url {
                let body: JSONObject
                let answeredAt: LocalDateTime?
                do {
                    (body, answeredAt) = try await fetchTimed(.get(current))
                } catch APIError.notFound where job.bulk {
                    // The bulk list's uuid expired (DrChrono keeps one an hour): in parts
                    // if it was being read when it did, else ask again.
                    if pagesRead > 0, let stored = try await split(job, onPage: onPage) { return stored }
                    state.resumeURL = nil
                    url = nil
                    break
                }
                if job.bulk && body.string("status") != "Complete" {
                    try await time.sleep(seconds: wait)
                    wait = min(wait * 2, 10)
                    continue
                }
                if justBegun, let count = body.int("count"), count > bulkRowLimit, let stored = try await split(job, onPage: onPage) {
                    return stored
                }
                justBegun = false
                pagesRead += 1
                let rows = (body["results"]?.arrayValue ?? body["data"]?.arrayValue ?? []).compactMap(\.objectValue)
                let next = body.string("next").flatMap { $0.isEmpty ? nil : $0 }
                let resource = job.resource
                let scope = job.scope
                let all = reader.scope("all")
                // The page and the position after it, in one transaction.
                state = try await mirror.write(.pass) { db in
                    let result = try MirrorWriter.store(rows, as: resource, in: db, keepingFields: self.reader.keepsFields)
                    var fresh = try SyncBookmark.fetch(db, resource, scope)
                    fresh.resumeURL = next
                    fresh.loaded = next == nil
                    fresh.advance(to: result.newestUpdate)
                    // When the job began listing: the first pass after the load reads from there.
                    if fresh.seenThrough == nil { fresh.seenThrough = answeredAt?.description }
                    try fresh.save(db)
                    if next == nil {
                        try SyncEngine.markLoaded(
                            resource, scope: all, bookmark: fresh.bookmark, at: fresh.bookmark,
                            began: fresh.seenThrough.flatMap(LocalDateTime.init),
                            in: db)
                    }
                    return fresh
                }
                stored += rows.count
                onPage(stored)
                url = next
            }
            if state.loaded { return stored }
        }
    }

    /// Runs `job` as its parts from now on (the decision kept in its `sync_state` row, so
    /// a load resumed after a crash goes on with the parts); nil when it has none.
    func split(_ job: SyncJob, onPage: (Int) -> Void) async throws -> Int? {
        guard try await parts(of: job) != nil else { return nil }
        logger.info(
            "a bulk list too long for an hour is read in parts",
            metadata: ["resource": "\(job.resource.rawValue)", "scope": "\(job.scope)"])
        try await mirror.write(.pass) { db in
            var row = try SyncBookmark.fetch(db, job.resource, job.scope)
            row.resumeURL = SyncJob.splitMarker
            try row.save(db)
        }
        return try await runParts(of: job, onPage: onPage)
    }

    func parts(of job: SyncJob) async throws -> [SyncJob]? {
        let doctors = try await mirror.pool.read { db in
            try MirrorQueries.doctorIds(db)
        }
        return job.parts(doctors: doctors, today: await today())
    }

    /// Runs a split job's parts, each of which may split again; then the job is loaded.
    func runParts(of job: SyncJob, onPage: (Int) -> Void) async throws -> Int {
        guard let parts = try await parts(of: job) else { throw APIError.unexpected("a split load job without parts") }
        var stored = 0
        for part in parts {
            let before = stored
            stored += try await run(part) { onPage(before + $0) }
        }
        try await mirror.write(.pass) { db in
            var row = try SyncBookmark.fetch(db, job.resource, job.scope)
            row.resumeURL = nil
            row.loaded = true
            try row.save(db)
        }
        return stored
    }

    /// When a job ends, the resource's incremental bookmark (scope `all`) moves up to it,
    /// and its last full pass is noted (in server time). The first incremental pass then
    /// reads from when the earliest of the resource's jobs began listing (less the commit
    /// lag), not a fixed lookback behind the newest row: a load is not paid for twice.
    static func markLoaded(
        _ resource: MirrorResource, scope: String, bookmark: String?, at serverTime: String?, began: LocalDateTime?, in db: Database
    ) throws {
        var all = try SyncBookmark.fetch(db, resource, scope)
        all.advance(to: bookmark.flatMap(LocalDateTime.init))
        if let serverTime { all.lastFullPass = serverTime }
        if let began, all.seenThrough.flatMap(LocalDateTime.init).map({ began < $0 }) ?? true { all.seenThrough = began.description }
        try all.save(db)
    }

    /// `doctor=` for a reader that reads one doctor of the several it sees.
    func narrowing(_ resource: MirrorResource) -> [String: String] {
        guard !resource.isPracticeWide, let doctor = reader.narrowTo else { return [:] }
        return ["doctor": String(doctor)]
    }

    func firstPage(_ job: SyncJob) -> String {
        var query = job.query
        query["page_size"] = String(DrChronoClient.pageSize(for: job.resource.path))
        return pathWithQuery(job.resource.path, query)
    }

    /// Starts a bulk list; answers where to poll and the server's time when it began.
    func startBulk(_ job: SyncJob) async throws -> (String, LocalDateTime?) {
        let path = "/api/\(job.resource.rawValue)_list"
        var query = job.query
        query["page_size"] = "1000"
        requests += 1
        let response = try await client.send(
            DrChronoClient.Call(method: "POST", target: path, query: query, isWrite: false), priority: .background)
        guard let uuid = response.json?.objectValue?.string("uuid") else { throw APIError.unexpected("a bulk list without a uuid") }
        return (pathWithQuery(path, ["uuid": uuid]), serverTime(response))
    }

    func fetch(_ call: DrChronoClient.Call, priority: RequestPriority = .background) async throws -> JSONObject {
        requests += 1
        return try await client.json(call, priority: priority).objectValue ?? [:]
    }

    /// A page and the server's time when it was answered.
    func fetchTimed(_ call: DrChronoClient.Call) async throws -> (JSONObject, LocalDateTime?) {
        requests += 1
        let response = try await client.send(call, priority: .background)
        guard let json = response.json else { throw APIError.unexpected("a page of the initial load that is not JSON") }
        return (json.objectValue ?? [:], serverTime(response))
    }

    // MARK: Deletions DrChrono does not report

    /// Removes from the mirror the rows of `resource` that DrChrono no longer lists.
    /// Costs a full listing, so it runs rarely (daily) and through bulk lists where
    /// DrChrono has them. Rows stored after the listing began are kept.
    @discardableResult
    public func reconcile(_ resource: MirrorResource) async throws -> Int {
        let (rows, listed) = try await listAll(resource, query: narrowing(resource))
        let (scope, side) = (reader.scope("all"), reader.doctors)
        return try await mirror.write(.pass) { db in
            let stored = try MirrorWriter.store(rows, as: resource, in: db, keepingFields: self.reader.keepsFields)
            let gone = Array(try MirrorWriter.ids(of: resource, onSideOf: side, in: db).subtracting(listed))
            try MirrorWriter.remove(ids: gone, of: resource, in: db)
            var all = try SyncBookmark.fetch(db, resource, scope)
            all.advance(to: stored.newestUpdate)
            all.lastFullPass = stored.newestUpdate?.description ?? all.bookmark
            try all.save(db)
            return gone.count
        }
    }

    func listAll(_ resource: MirrorResource, query: [String: String] = [:]) async throws -> ([JSONObject], Set<String>) {
        var rows: [JSONObject] = []
        let stream =
            resource.hasBulkList && resource != .appointments
            ? client.bulk(resource.rawValue, priority: .background)
            : client.pages(resource.path, query: query, priority: .background)
        // Pages are counted; a bulk list's start and polls happen inside the client.
        for try await page in stream { rows += page; requests += 1 }
        return (rows, Set(rows.compactMap { $0.string("id") }))
    }

    /// The requests this engine has made.
    public var requestCount: Int { requests }
}

func pathWithQuery(_ path: String, _ query: [String: String]) -> String {
    guard !query.isEmpty else { return path }
    let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~:"))
    return path + "?"
        + query.keys.sorted().map { key in
            "\(key)=\(query[key]!.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")"
        }.joined(separator: "&")
}
