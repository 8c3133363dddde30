import DrChronoAPI
import DrChronoSandbox
import Foundation
import GRDB
import Mirror
import SandboxHarness
import Sync

/// One clinic day, run and measured.
public struct ClinicDay: Sendable {
    public struct Hour: Sendable {
        public var label: String
        public var requests: Int
        public var throttled: Int
        public var staleness: Staleness
    }

    public struct Staleness: Sendable {
        public var p50 = 0.0, p95 = 0.0, max = 0.0
        public init(_ values: [Double]) {
            let sorted = values.sorted()
            guard !sorted.isEmpty else { return }
            p50 = sorted[sorted.count / 2]
            p95 = sorted[min(sorted.count - 1, Int((Double(sorted.count) * 0.95).rounded(.up)) - 1)]
            max = sorted.last!
        }
    }

    public var hours: [Hour] = []
    public var totalRequests = 0
    public var todayChanges = 0
    public var staleness = Staleness([])
    public var unserved: [String] = []
    public var bulkRows = 0
    public var bulkListedMoreThanOnce = 0
    public var mismatches: [String] = []

    /// The clinic day of the tests: Wednesday 4 March 2026.
    public static let day = LocalDateTime(year: 2026, month: 3, day: 4)

    /// Loads the practice before 7 am, then runs the daemon from 7 am to 7 pm.
    /// `loadHours`: how long before 7 the load starts (at DrChrono's 500 an hour a
    /// `large` practice's load takes hours of the sandbox clock).
    /// `offices`: the practice does not share patients and no login sees it whole: the
    /// profile's own login sees its last doctor's side, and a grant per other doctor its
    /// own (``GrantedSync``, one reader per doctor).
    public static func run(
        webhooks: Bool, size: PracticeSize = .practice, loadHours: Int = 1, offices: Bool = false
    ) async throws -> ClinicDay {
        var result = ClinicDay()
        let zone = RunningSandbox.practiceZone
        let six = ClinicDay.day.adding(minutes: (7 - loadHours) * 60)
        try await withSandbox({
            $0.size = size
            $0.limitsEnabled = true
            $0.activity = .day
            $0.startTime = six.date(in: zone)
        }) { sandbox in
            let time = SandboxTime(sandbox, steppingThroughActivity: webhooks)
            try await sandbox.freezeClock()
            let (_, mirror, engine) = try await keeper(sandbox, time: time, offices: offices)
            _ = try await engine.catchUp()
            var receiver: WebhookReceiver?
            if webhooks {
                receiver = WebhookReceiver(engine: engine, secret: "clinic-day-secret")
                let port = try await receiver!.start()
                _ = try await sandbox.admin(
                    "PUT", "webhooks", ["url": .string("http://127.0.0.1:\(port)/hooks"), "secret": "clinic-day-secret"])
            }
            let seven = ClinicDay.day.adding(minutes: 7 * 60)
            _ = try await sandbox.admin("POST", "clock", ["now": .string(seven.description), "frozen": true])
            _ = try await sandbox.admin("DELETE", "requests")
            let start = seven.date(in: zone)
            try await SyncDaemon(engine: engine, time: time, plan: webhooks ? .withWebhooks : .polling)
                .run(until: start.addingTimeInterval(12 * 3600))

            // Requests by hour of the day.
            let counters = try await sandbox.adminJSON("requests")
            result.totalRequests = counters.int("total") ?? 0
            let hourRows = (counters["by_hour"]?.arrayValue ?? []).compactMap(\.objectValue)
            // Staleness of today's schedule, by the hour the change was made.
            let changes = (try await sandbox.adminJSON("activity")["changes"]?.arrayValue ?? []).compactMap(\.objectValue)
            let end = start.addingTimeInterval(12 * 3600).timeIntervalSince1970
            var all: [Double] = []
            var byHour: [Int: [Double]] = [:]
            for change in changes {
                guard let at = change.double("at"), at >= start.timeIntervalSince1970, at < end - 120 else { continue }
                if change["bulk"]?.boolValue == true {
                    result.bulkRows += 1
                    if (change.int("listed") ?? 0) > 1 { result.bulkListedMoreThanOnce += 1 }
                }
                guard change["today"]?.boolValue == true else { continue }
                result.todayChanges += 1
                guard let served = change.double("served_at") else {
                    result.unserved.append("\(change.string("resource") ?? "") \(change.int("id") ?? 0) \(change.string("what") ?? "")")
                    continue
                }
                all.append(served - at)
                byHour[Int((at / 3600).rounded(.down)), default: []].append(served - at)
            }
            result.staleness = Staleness(all)
            for row in hourRows {
                guard let label = row.string("hour"), let wall = LocalDateTime(label) else { continue }
                let epochHour = Int((wall.date(in: zone).timeIntervalSince1970 / 3600).rounded(.down))
                result.hours.append(
                    Hour(
                        label: String(label.dropFirst(11).prefix(5)), requests: row.int("requests") ?? 0,
                        throttled: row.int("throttled") ?? 0,
                        staleness: Staleness(byHour[epochHour] ?? [])))
            }

            // The end of the day: one more pass, then the mirror must hold what DrChrono holds.
            await receiver?.stop()
            _ = try await engine.pass()
            result.mismatches = try await differences(sandbox, mirror, since: six)
        }
        return result
    }

    /// The logged-in profile, its mirror and what keeps it fresh: one login's engine, or
    /// with `offices` a login per doctor (the sandbox's sharing off, a user per doctor).
    static func keeper(
        _ sandbox: RunningSandbox, time: SandboxTime, offices: Bool
    ) async throws -> (LoggedInClient, MirrorDatabase, any MirrorKeeper) {
        let zone = RunningSandbox.practiceZone
        guard offices else {
            let logged = try await LoggedInClient.make(sandbox, time: time)
            let mirror = try MirrorDatabase.open(at: logged.profile.file("mirror.sqlite").path)
            return (logged, mirror, SyncEngine(mirror: mirror, client: logged.client, timeZone: zone, time: time, lookback: 30))
        }
        let doctors = try await sandbox.all("/api/doctors", token: try await sandbox.token()).rows.compactMap { $0.int("id") }.sorted()
        _ = try await sandbox.admin("PUT", "practice_group", ["share_patients": false])
        for (index, doctor) in doctors.enumerated() {
            _ = try await sandbox.admin("PUT", "users/office-\(index + 1)", ["doctor": .int(doctor)])
        }
        let logged = try await LoggedInClient.make(sandbox, time: time, user: "office-\(doctors.count)")
        var logins = [GrantedSync.Login(name: "", client: logged.client)]
        for (index, doctor) in doctors.dropLast().enumerated() {
            let client = try await logged.grant("office-\(index + 1)", user: "office-\(index + 1)", sandbox: sandbox, time: time)
            logins.append(GrantedSync.Login(name: "office-\(index + 1)", client: client, sight: .doctors([doctor])))
        }
        let mirror = try MirrorDatabase.open(at: logged.profile.file("mirror.sqlite").path)
        return (logged, mirror, GrantedSync(mirror: mirror, logins: logins, timeZone: zone, time: time))
    }

    /// Rows changed since `since` that the mirror holds differently (or not at all).
    public static func differences(_ sandbox: RunningSandbox, _ mirror: MirrorDatabase, since: LocalDateTime) async throws -> [String] {
        var found: [String] = []
        for resource in [MirrorResource.appointments, .patients, .clinicalNotes, .lineItems] {
            let answer = try await sandbox.send(
                "GET", "/_sandbox/records/\(resource.rawValue)", query: ["updated_since": since.description])
            let rows = (answer.json?.objectValue?["results"]?.arrayValue ?? []).compactMap(\.objectValue)
            var truth: [String: String] = [:]
            for row in rows {
                guard let id = row.string("id"), let updated = row.dateTime("updated_at"), updated >= since else { continue }
                truth[id] = updated.description
            }
            let held = try await mirror.pool.read { db in
                try Row.fetchAll(
                    db, sql: "SELECT CAST(id AS TEXT) AS id, updated_at FROM \(resource.table) WHERE updated_at >= ?",
                    arguments: [since.description])
            }
            var mirrored: [String: String] = [:]
            for row in held { mirrored[row["id"]] = row["updated_at"] }
            for (id, updated) in truth where mirrored[id] != updated {
                found.append("\(resource.rawValue) \(id): DrChrono \(updated), mirror \(mirrored[id] ?? "missing")")
            }
            for id in Set(mirrored.keys).subtracting(truth.keys) { found.append("\(resource.rawValue) \(id): only in the mirror") }
        }
        return found
    }

    /// The hour-by-hour table BENCHMARKS.md carries.
    public func table(title: String) -> String {
        var lines = [
            "\(title): \(totalRequests) requests, today's schedule staleness p50 \(Int(staleness.p50)) s, p95 \(Int(staleness.p95)) s, max \(Int(staleness.max)) s",
            "| hour | requests | 429s | staleness p50 / p95 / max (s) |", "|---|---|---|---|",
        ]
        for hour in hours {
            lines.append(
                "| \(hour.label) | \(hour.requests) | \(hour.throttled) | \(Int(hour.staleness.p50)) / \(Int(hour.staleness.p95)) / \(Int(hour.staleness.max)) |"
            )
        }
        return lines.joined(separator: "\n")
    }
}

/// An initial load at DrChrono's real limits (500 an hour, limits on) on the sandbox
/// clock: how many requests and hours of the budget a practice's first load takes, and
/// how many parts its bulk lists were read in.
public struct BudgetedLoad: Sendable {
    public var requests = 0
    public var hours = 0.0
    public var parts: [String] = []
    public var rows = 0
    public var throttled = 0

    public static func run(size: PracticeSize) async throws -> BudgetedLoad {
        var result = BudgetedLoad()
        try await withSandbox({
            $0.size = size
            $0.limitsEnabled = true
        }) { sandbox in
            try await sandbox.freezeClock()
            let time = SandboxTime(sandbox)
            let logged = try await LoggedInClient.make(sandbox, time: time)
            let mirror = try MirrorDatabase.open(at: logged.profile.file("mirror.sqlite").path)
            let engine = SyncEngine(mirror: mirror, client: logged.client, timeZone: RunningSandbox.practiceZone, time: time)
            _ = try await sandbox.admin("DELETE", "requests")
            let start = try await sandbox.now()
            _ = try await engine.catchUp()
            result.hours = try await sandbox.now().timeIntervalSince(start) / 3600
            let counters = try await sandbox.adminJSON("requests")
            result.requests = counters.int("total") ?? 0
            result.throttled = counters["by_status"]?.objectValue?.int("429") ?? 0
            (result.parts, result.rows) = try await mirror.pool.read { db in
                (
                    try String.fetchAll(db, sql: "SELECT resource || ' ' || scope FROM sync_state WHERE scope LIKE '%@%' ORDER BY 1"),
                    try MirrorResource.allCases.reduce(0) { $0 + (try MirrorQueries.count(db, $1)) }
                )
            }
        }
        return result
    }
}
