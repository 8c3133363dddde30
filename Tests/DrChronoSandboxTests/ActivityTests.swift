import DrChronoAPI
import DrChronoSandbox
import Foundation
import SandboxHarness
import Testing

/// The living practice (`--activity day`): what people in DrChrono's web app do on a
/// clinic day, on the sandbox clock.
@Suite("A practice that lives through its day")
struct ActivityTests {
    /// 7 am on the test Wednesday, in the practice's zone.
    static let sevenAM = LocalDateTime(year: 2026, month: 3, day: 4, hour: 7).date(in: RunningSandbox.practiceZone)

    /// Runs a sandbox from 7 am through `hours`, answering its activity report.
    func day(
        seed: UInt64 = 1, activity: ActivityMode = .day, hours: Int = 12, webhook: String? = nil,
        _ look: (RunningSandbox) async throws -> Void = { _ in }
    ) async throws -> [JSONObject] {
        var changes: [JSONObject] = []
        try await withSandbox({
            $0.seed = seed
            $0.activity = activity
            $0.startTime = ActivityTests.sevenAM
        }) { sandbox in
            try await sandbox.freezeClock()
            if let webhook { _ = try await sandbox.admin("PUT", "webhooks", ["url": .string(webhook), "secret": "s3cret"]) }
            for _ in 0..<hours { try await sandbox.advanceClock(seconds: 3600) }
            changes = (try await sandbox.adminJSON("activity")["changes"]?.arrayValue ?? []).compactMap(\.objectValue)
            try await look(sandbox)
        }
        return changes
    }

    func summary(_ changes: [JSONObject]) -> [String] {
        changes.map { "\($0.string("resource") ?? "") \($0.int("id") ?? 0) \($0.string("what") ?? "") \($0.double("at") ?? 0)" }
    }

    @Test("the same seed makes the same day; another seed another")
    func deterministic() async throws {
        let first = summary(try await day(seed: 7))
        let again = summary(try await day(seed: 7))
        let other = summary(try await day(seed: 8))
        #expect(first.count > 100)
        #expect(first == again)
        #expect(first != other)
    }

    @Test("visits arrive, check in, go to a room and finish around their times; notes are signed and charges added after them")
    func visitsMoveThroughTheDay() async throws {
        let changes = try await day { sandbox in
            // Every one of today's visits has moved on by 7 pm: finished, a no-show, or cancelled earlier.
            let visits = (try await sandbox.adminJSON("records/appointments")["results"]?.arrayValue ?? []).compactMap(\.objectValue)
            let today = visits.filter {
                $0.string("scheduled_time")?.hasPrefix("2026-03-04") == true && $0["appt_is_break"] != .bool(true)
                    && $0["deleted_flag"] != .bool(true)
            }
            #expect(!today.isEmpty)
            let open = today.filter { !["Complete", "No Show", "Cancelled"].contains($0.string("status") ?? "") }
            #expect(open.isEmpty, "visits left open at 7 pm: \(open.prefix(3).map { $0.string("status") ?? "" })")
        }
        let whats = Set(changes.compactMap { $0.string("what")?.split(separator: " ").first.map(String.init) })
        for expected in ["status", "signed", "charge", "booked", "cancelled", "moved", "phone", "reminded"] {
            #expect(whats.contains(expected), "no '\(expected)' in the day: \(whats.sorted())")
        }
        // A visit's statuses follow one another in time.
        var last: [Int: (Double, String)] = [:]
        let order = ["status Arrived", "status Checked In", "status In Room", "status Complete"]
        for change in changes where change.string("what")?.hasPrefix("status") == true {
            let id = change.int("id")!
            let what = change.string("what")!
            let at = change.double("at")!
            if let (before, previous) = last[id], let a = order.firstIndex(of: previous), let b = order.firstIndex(of: what) {
                #expect(b > a && at >= before, "visit \(id): \(previous) then \(what)")
            }
            last[id] = (at, what)
        }
    }

    @Test("the 6 pm reminder run stamps every visit of the next three working days with one second")
    func reminderRun() async throws {
        let changes = try await day()
        let bulk = changes.filter { $0["bulk"] == .bool(true) }
        #expect(bulk.count >= 50, "\(bulk.count) visits reminded")
        #expect(Set(bulk.compactMap { $0.double("at") }).count == 1, "all in one second")
        let at = try #require(bulk.first?.double("at"))
        #expect(LocalDateTime(Date(timeIntervalSince1970: at), in: RunningSandbox.practiceZone).hour == 18)
    }

    @Test("each change to an appointment, a patient or a note queues its webhook, as DrChrono sends them")
    func webhooksPerChange() async throws {
        var deliveries: [JSONObject] = []
        let changes = try await day(hours: 3, webhook: "http://127.0.0.1:9/hooks") { sandbox in
            deliveries = (try await sandbox.adminJSON("webhooks")["deliveries"]?.arrayValue ?? []).compactMap(\.objectValue)
        }
        let hooked = changes.filter { ["appointments", "patients", "clinical_notes"].contains($0.string("resource") ?? "") }
        #expect(!hooked.isEmpty)
        #expect(deliveries.count == hooked.count, "\(deliveries.count) deliveries for \(hooked.count) changes")
        #expect(
            Set(deliveries.compactMap { $0.string("event") }).isSubset(of: [
                "APPOINTMENT_CREATE", "APPOINTMENT_MODIFY", "PATIENT_MODIFY", "CLINICAL_NOTE_LOCK",
            ]))
    }

    @Test("the report says when a client first read each change back")
    func servedIsReported() async throws {
        try await withSandbox({
            $0.activity = .day
            $0.startTime = ActivityTests.sevenAM
        }) { sandbox in
            try await sandbox.freezeClock()
            try await sandbox.advanceClock(seconds: 3600)
            let token = try await sandbox.token()
            try await sandbox.advanceClock(seconds: 30)
            _ = try await sandbox.all("/api/appointments", query: ["since": "2026-03-04T07:00:00", "show_archived": "true"], token: token)
            let changes = (try await sandbox.adminJSON("activity")["changes"]?.arrayValue ?? []).compactMap(\.objectValue)
            let appointments = changes.filter { $0.string("resource") == "appointments" }
            #expect(!appointments.isEmpty)
            let readAt = try await sandbox.now().timeIntervalSince1970
            #expect(appointments.allSatisfy { $0.double("served_at") == readAt }, "read back at the moment of the listing")
            #expect(changes.filter { $0.string("resource") == "line_items" }.allSatisfy { $0["served_at"] == .null })
        }
    }

    @Test("weeks of activity run on: thousands of events made, the practice still answering")
    func weeksOfActivity() async throws {
        let changes = try await day(hours: 24 * 30) { sandbox in
            let token = try await sandbox.token()
            #expect(try await sandbox.send("GET", "/api/doctors", token: token).status == 200)
        }
        #expect(changes.count > 4096, "\(changes.count) changes in thirty days")
    }

    @Test("without --activity nothing changes by itself")
    func offByDefault() async throws {
        #expect(SandboxConfiguration().activity == .off)
        let changes = try await day(activity: .off)
        #expect(changes.isEmpty)
    }
}
