import DrChronoAPI
import Foundation
import Logging
import Mirror

/// Keeps one mirror fresh through several DrChrono logins of one practice: the profile's
/// own and the grants added with `chronoterm login --grant`, each seeing what its user
/// may see. It plans who reads what (``GrantPlan``: the fewest logins that see every
/// doctor), runs one ``SyncEngine`` per reader with its own bookmarks, and when DrChrono
/// refuses a login (revoked, expired) sets that one aside alone: the plan is made again,
/// its bookmarks handed over where the others read the same doctors, and the rows only it
/// saw are kept as they were, shown stale, never removed.
///
/// Every login counts against the profile's one request budget (one API application).
public actor GrantedSync: MirrorKeeper {
    /// A DrChrono login of the profile: "" is its own, else a grant's name.
    public struct Login: Sendable {
        public var name: String
        public var client: DrChronoClient
        public var alive: Bool
        /// What it sees, as DrChrono said when it was added (``GrantRecord``); nil: ask
        /// (`/api/users/current`, one request) before planning.
        public var sight: GrantPlan.Sight?

        public init(name: String, client: DrChronoClient, alive: Bool = true, sight: GrantPlan.Sight? = nil) {
            (self.name, self.client, self.alive, self.sight) = (name, client, alive, sight)
        }
    }

    public nonisolated let mirror: MirrorDatabase
    let timeZone: TimeZone
    let time: any TimeSource
    var logins: [Login]
    /// What each login sees, as DrChrono said when first asked (`/api/users/current`).
    var sights: [String: GrantPlan.Sight] = [:]
    /// The plan in force and its engines; nil after a login died, until made again.
    public private(set) var plan: GrantPlan?
    var engines: [SyncEngine] = []
    /// Engines new to the plan may have a list to load before their passes mean anything.
    var loadPending = true
    /// Hears a login DrChrono refused (its name, "" for the profile's own) and why.
    let onDead: @Sendable (String, APIError) -> Void
    let logger = Logger(label: "chronoterm.sync")

    public init(
        mirror: MirrorDatabase, logins: [Login], timeZone: TimeZone, time: any TimeSource = SystemTime(),
        onDead: @escaping @Sendable (String, APIError) -> Void = { _, _ in }
    ) {
        (self.mirror, self.logins, self.timeZone, self.time, self.onDead) = (mirror, logins, timeZone, time, onDead)
        for login in logins { sights[login.name] = login.sight }
    }

    /// The plan in force, made (and its bookmarks handed over) if need be.
    public func currentPlan() async throws -> GrantPlan {
        _ = try await readers()
        return plan ?? GrantPlan(readers: [], unseen: [])
    }

    /// The engines of the plan in force; asks each live login once what it sees.
    func readers() async throws -> [SyncEngine] {
        if plan != nil { return engines }
        for login in logins where login.alive && sights[login.name] == nil {
            sights[login.name] = try await sight(of: login)
        }
        let doctors = Set(try await mirror.pool.read { db in try MirrorQueries.doctorIds(db) })
        let made = GrantPlan.make(logins: logins.map { .init(name: $0.name, sight: sights[$0.name], alive: $0.alive) }, doctors: doctors)
        let handed = made.readers.map { (name: $0.name, doctors: $0.doctors) }
        try await mirror.write(.pass) { db in try SyncBookmark.adopt(readers: handed, in: db) }
        engines = made.readers.compactMap { reader in
            logins.first { $0.name == reader.name }.map {
                SyncEngine(mirror: mirror, client: $0.client, timeZone: timeZone, time: time, reader: reader)
            }
        }
        if !made.unseen.isEmpty {
            logger.warning(
                "no live DrChrono login of this profile sees some doctors: their rows are kept as last read",
                metadata: ["doctors": "\(made.unseen.sorted())"])
        }
        plan = made
        loadPending = true
        return engines
    }

    /// What DrChrono says `login` sees; nil when it refused the login (set aside).
    func sight(of login: Login) async throws -> GrantPlan.Sight? {
        let answer: Result<CurrentUser, APIError> = await login.client.currentUserResult()
        switch answer {
        case .success(let user): return GrantPlan.Sight(seesEveryDoctor: user.seesEveryDoctor, doctor: user.doctor)
        case .failure(.loginRequired(let why)):
            bury(login.name, .loginRequired(why))
            return nil
        case .failure(let error): throw error
        }
    }

    /// Sets a refused login aside: the plan is made again at the next turn.
    func bury(_ name: String, _ error: APIError) {
        guard let index = logins.firstIndex(where: { $0.name == name }), logins[index].alive else { return }
        logins[index].alive = false
        plan = nil
        logger.warning("DrChrono refused one of the profile's logins; the others go on", metadata: ["login": "\(name)"])
        onDead(name, error)
    }

    /// Runs `work` on each reader; a refused login is set aside and the rest go on. A
    /// login DrChrono forbids a list (its user's permissions changed) is skipped this turn,
    /// said in the log, and does not stop the others.
    func eachReader(_ work: (SyncEngine) async throws -> Void) async throws {
        for engine in try await readers() {
            do { try await work(engine) } catch APIError.loginRequired(let why) {
                bury(engine.reader.name, .loginRequired(why))
            } catch APIError.forbidden {
                logger.warning(
                    "DrChrono forbade one of the profile's logins a list; the others go on", metadata: ["login": "\(engine.reader.name)"])
            }
        }
    }

    /// Loads what a reader new to the plan has not read yet (after a handover, usually nothing).
    func loadNewReaders(progress: @Sendable (SyncEngine.Progress) -> Void) async throws -> Bool {
        var loaded = false
        // A login refused while loading changes the plan: its replacements load in turn.
        for _ in 0...logins.count where loadPending {
            loadPending = false
            try await eachReader { engine in
                if try await engine.isLoaded() == false {
                    try await engine.load(progress: progress)
                    loaded = true
                }
            }
            if plan == nil { _ = try await readers() }
        }
        return loaded
    }

    public func catchUp(progress: @Sendable (SyncEngine.Progress) -> Void) async throws -> SyncEngine.CatchUpReport {
        var rebuilt = false
        // The profile's own login names the mirror's practice and user (its epoch), and
        // says what it sees, in one request; a mirror whose own login is refused goes on
        // through the grants, on the epoch it had.
        if let own = logins.first(where: { $0.name.isEmpty && $0.alive }) {
            switch await own.client.currentUserResult() {
            case .success(let user):
                sights[""] = GrantPlan.Sight(seesEveryDoctor: user.seesEveryDoctor, doctor: user.doctor)
                rebuilt = try await SyncEngine(mirror: mirror, client: own.client, timeZone: timeZone, time: time).ensureEpoch(for: user)
            case .failure(.loginRequired(let why)): bury("", .loginRequired(why))
            case .failure(let error): throw error
            }
        }
        if try await loadNewReaders(progress: progress) {
            // The settings just read may name doctors the plan did not know.
            plan = nil
            _ = try await loadNewReaders(progress: progress)
            return SyncEngine.CatchUpReport(rebuilt: rebuilt, loaded: true, pass: nil)
        }
        return SyncEngine.CatchUpReport(rebuilt: rebuilt, loaded: false, pass: try await pass(MirrorResource.allCases))
    }

    public func pass(_ resources: [MirrorResource]) async throws -> SyncEngine.PassReport {
        _ = try await loadNewReaders { _ in }
        var report = SyncEngine.PassReport()
        try await eachReader { engine in report.add(try await engine.pass(resources)) }
        report.readers = max(1, engines.count)
        return report
    }

    /// Each reader removes what it no longer lists on its side — after every reader has
    /// read what changed, so a row that moved to another doctor's side is moved in the
    /// mirror first, not removed by the reader that stopped listing it.
    public func reconcile(_ resource: MirrorResource) async throws -> Int {
        if try await readers().count > 1, resource.supportsSince {
            try await eachReader { engine in _ = try await engine.pass([resource]) }
        }
        var removed = 0
        try await eachReader { engine in removed += try await engine.reconcile(resource) }
        return removed
    }

    /// Through each reader until one has it: a 404 through one login is not a deletion.
    /// Removed only when every reader answered 404 and the plan sees every doctor.
    public func refresh(_ resource: MirrorResource, id: String, priority: RequestPriority) async throws {
        var found = false
        // The reader of the row's doctor first (one request for a row the mirror knows).
        let doctor = try await mirror.pool.read { db in try MirrorQueries.doctor(of: resource, id: id, in: db) }
        let all = try await readers()
        func reads(_ engine: SyncEngine) -> Bool { doctor.map { engine.reader.doctors?.contains($0) ?? false } ?? false }
        for engine in all.filter(reads) + all.filter({ !reads($0) }) where !found {
            do {
                found = try await engine.refresh(resource, id: id, priority: priority, removeIfMissing: false)
            } catch APIError
                .loginRequired(let why)
            {
                bury(engine.reader.name, .loginRequired(why))
            }
        }
        // Every login that sees a doctor of the practice says it is gone: it is.
        guard !found, let plan, plan.unseen.isEmpty else { return }
        try await mirror.write(.pass) { db in try MirrorWriter.remove(ids: [id], of: resource, in: db) }
    }

    /// Through the reader of the patient's doctor (the only reader, or the lead when the
    /// mirror does not say whose they are). A patient of a doctor no live login sees is
    /// not asked for: their chart stays as last read.
    public func loadChart(patient: Int) async throws {
        let engines = try await readers()
        let doctor = try await mirror.pool.read { db in try MirrorQueries.patient(db, id: patient)?.doctor }
        if let doctor, plan?.unseen.contains(doctor) == true { return }
        let engine = engines.first { reader in doctor.map { reader.reader.doctors?.contains($0) ?? true } ?? false } ?? engines.first
        do { try await engine?.loadChart(patient: patient) } catch APIError.loginRequired(let why) {
            if let engine { bury(engine.reader.name, .loginRequired(why)) }
        }
    }

    public func budgetSpent() async -> (Int, BudgetPolicy) {
        await logins[0].client.budgetSpent()
    }
}

extension SyncEngine.PassReport {
    /// Adds another reader's pass to this one.
    mutating func add(_ other: Self) {
        rows.merge(other.rows, uniquingKeysWith: +)
        requests += other.requests
        requestsBy.merge(other.requestsBy, uniquingKeysWith: +)
        deferred.merge(other.deferred, uniquingKeysWith: max)
    }
}
