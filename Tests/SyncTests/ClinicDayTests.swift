import DrChronoAPI
import DrChronoSandbox
import Foundation
import GRDB
import Mirror
import SandboxTestSupport
import Sync
import Testing

/// A whole clinic day (7 am to 7 pm) of `--activity day` on the `practice` practice
/// with DrChrono's limits on, run on the sandbox clock: the daemon's sleeps move it.
/// What a practice would notice is counted exactly: requests and 429s by hour, and for
/// every change the practice made, when a client first read it back.
@Suite("A clinic day on a practice that lives", .serialized)
struct ClinicDayTests {
    static let day = LocalDateTime(year: 2026, month: 3, day: 4)

    @Test(
        "polling: every hour under 125 requests, no 429, today's schedule p95 under 60 s, the reminder run read once, the mirror equal to DrChrono"
    )
    func pollingDay() async throws {
        let day = try await ClinicDay.run(webhooks: false)
        for hour in day.hours {
            #expect(hour.requests <= 125, "\(hour.label): \(hour.requests) requests")
            #expect(hour.throttled == 0, "\(hour.label): \(hour.throttled) answered 429")
        }
        #expect(day.hours.count == 12, "\(day.hours.map(\.label))")
        #expect(day.todayChanges >= 400, "a clinic day moves hundreds of today's visits (\(day.todayChanges))")
        #expect(day.unserved.isEmpty, "changes never read: \(day.unserved.prefix(5))")
        #expect(day.staleness.p95 <= 60, "today's schedule p95 \(day.staleness.p95) s")
        #expect(day.bulkRows >= 200, "the reminder run stamps several hundred visits (\(day.bulkRows))")
        // A pass that meets the run as it happens reads one page before it waits for the
        // run to settle: at most that page is read twice.
        #expect(day.bulkListedMoreThanOnce <= 20, "\(day.bulkListedMoreThanOnce) of the reminder run's rows were paged twice")
        #expect(day.mismatches.isEmpty, "mirror differs from the sandbox: \(day.mismatches.prefix(5))")
        print(day.table(title: "practice, polling"))
    }

    @Test("with webhooks: today's schedule p95 under 2 s, fewer requests than polling, the mirror equal to DrChrono")
    func webhookDay() async throws {
        let day = try await ClinicDay.run(webhooks: true)
        for hour in day.hours {
            #expect(hour.requests <= 125, "\(hour.label): \(hour.requests) requests")
            #expect(hour.throttled == 0, "\(hour.label): \(hour.throttled) answered 429")
        }
        #expect(day.unserved.isEmpty, "changes never read: \(day.unserved.prefix(5))")
        #expect(day.staleness.p95 <= 2, "today's schedule p95 \(day.staleness.p95) s")
        #expect(day.totalRequests <= 12 * 60, "polling as a safety net only: \(day.totalRequests) requests in the day")
        // A pass that meets the run as it happens reads one page before it waits for the
        // run to settle: at most that page is read twice.
        #expect(day.bulkListedMoreThanOnce <= 20, "\(day.bulkListedMoreThanOnce) of the reminder run's rows were paged twice")
        #expect(day.mismatches.isEmpty, "mirror differs from the sandbox: \(day.mismatches.prefix(5))")
        print(day.table(title: "practice, webhooks"))
    }
}

/// One clinic day, run and measured.
struct ClinicDay {
    struct Hour {
        var label: String
        var requests: Int
        var throttled: Int
        var staleness: Staleness
    }

    struct Staleness {
        var p50 = 0.0, p95 = 0.0, max = 0.0
        init(_ values: [Double]) {
            let sorted = values.sorted()
            guard !sorted.isEmpty else { return }
            p50 = sorted[sorted.count / 2]
            p95 = sorted[min(sorted.count - 1, Int((Double(sorted.count) * 0.95).rounded(.up)) - 1)]
            max = sorted.last!
        }
    }

    var hours: [Hour] = []
    var totalRequests = 0
    var todayChanges = 0
    var staleness = Staleness([])
    var unserved: [String] = []
    var bulkRows = 0
    var bulkListedMoreThanOnce = 0
    var mismatches: [String] = []

    /// Loads the practice at 6 am, then runs the daemon from 7 am to 7 pm.
    static func run(webhooks: Bool, size: PracticeSize = .practice) async throws -> ClinicDay {
        var result = ClinicDay()
        let zone = RunningSandbox.practiceZone
        let six = ClinicDayTests.day.adding(minutes: 6 * 60)
        try await withSandbox({
            $0.size = size
            $0.limitsEnabled = true
            $0.activity = .day
            $0.startTime = six.date(in: zone)
        }) { sandbox in
            let time = SandboxTime(sandbox, steppingThroughActivity: webhooks)
            try await sandbox.freezeClock()
            let fixture = try await SyncFixture.make(sandbox, time: time)
            try await fixture.engine.load()
            var receiver: WebhookReceiver?
            if webhooks {
                receiver = WebhookReceiver(engine: fixture.engine, secret: "clinic-day-secret")
                let port = try await receiver!.start()
                _ = try await sandbox.admin(
                    "PUT", "webhooks", ["url": .string("http://127.0.0.1:\(port)/hooks"), "secret": "clinic-day-secret"])
            }
            let seven = ClinicDayTests.day.adding(minutes: 7 * 60)
            _ = try await sandbox.admin("POST", "clock", ["now": .string(seven.description), "frozen": true])
            _ = try await sandbox.admin("DELETE", "requests")
            let start = seven.date(in: zone)
            try await SyncDaemon(engine: fixture.engine, time: time, plan: webhooks ? .withWebhooks : .polling)
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
            _ = try await fixture.engine.pass()
            result.mismatches = try await differences(sandbox, fixture.mirror, since: six)
        }
        return result
    }

    /// Rows changed since `since` that the mirror holds differently (or not at all).
    static func differences(_ sandbox: RunningSandbox, _ mirror: MirrorDatabase, since: LocalDateTime) async throws -> [String] {
        var found: [String] = []
        for resource in [MirrorResource.appointments, .patients, .clinicalNotes, .lineItems] {
            let rows = (try await sandbox.adminJSON("records/\(resource.rawValue)")["results"]?.arrayValue ?? []).compactMap(\.objectValue)
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
    func table(title: String) -> String {
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
