import DrChronoAPI
import Foundation
import GRDB
import Mirror
import SandboxHarness
import Sync
import Testing

@Suite("Steady state: fresh within the budget")
struct SyncDaemonTests {
    @Test("an hour of polling keeps today's schedule under a minute old with under a quarter of the budget, and never a 429")
    func steadyStateBudget() async throws {
        try await withSandbox({ $0.limitsEnabled = true }) { sandbox in
            let fixture = try await SyncFixture.make(sandbox)
            try await fixture.engine.load()
            try await sandbox.freezeClock()
            _ = try await sandbox.admin("DELETE", "requests")
            let start = try await sandbox.now()
            try await SyncDaemon(engine: fixture.engine, time: SandboxTime(sandbox)).run(until: start.addingTimeInterval(3600))
            let counters = try await sandbox.adminJSON("requests")
            let total = try #require(counters.int("total"))
            #expect(total <= 125, "\(total) requests in the hour")
            let polls = counters["by_endpoint"]?.objectValue?.int("GET /api/appointments") ?? 0
            #expect(polls >= 3600 / 60, "appointments polled at least once a minute (\(polls) times)")
            #expect(counters["by_status"]?.objectValue?["429"] == nil)
        }
    }

    @Test("each pass's line says how old today's schedule is, how often it is checked, and the hour's requests so far")
    func passLines() async throws {
        try await withSandbox { sandbox in
            let time = SandboxTime(sandbox)
            let fixture = try await SyncFixture.make(sandbox, time: time)
            try await fixture.engine.load()
            try await sandbox.freezeClock()
            let start = try await sandbox.now()
            let lines = Lines()
            try await SyncDaemon(engine: fixture.engine, time: time).run(until: start.addingTimeInterval(100)) { report in
                lines.add(report.line(now: report.scheduleAsOf ?? .distantPast))
            }
            let said = lines.all
            #expect(said.count == 2, "\(said)")
            #expect(said.allSatisfy { $0.contains("today's schedule 0s old, checked every 45s") }, "\(said)")
            #expect(said.last?.hasSuffix("requests this hour") == true, "\(said)")
        }
    }

    @Test("a change made in the web app reaches the mirror within a minute of polling")
    func freshness() async throws {
        try await withSandbox { sandbox in
            let fixture = try await SyncFixture.make(sandbox)
            try await fixture.engine.load()
            try await sandbox.freezeClock()
            let start = try await sandbox.now()
            #expect(try await sandbox.admin("PATCH", "records/appointments/1000310", ["status": "Checked In"]).status == 204)
            try await SyncDaemon(engine: fixture.engine, time: SandboxTime(sandbox)).run(until: start.addingTimeInterval(60))
            let row = try await fixture.mirror.pool.read { db in try Appointment.fetchRaw(db, "1000310") }
            #expect(row?.status == "Checked In")
        }
    }
}

extension SyncDaemonTests {
    @Test(
        "a patient changed in the web app right after a first load that spent the hour's share reaches the mirror at the next five-minute poll (it was 40 minutes), and the hour after stays under 125 requests"
    )
    func patientsFreshAfterALoad() async throws {
        try await withSandbox({
            $0.size = .practice
            $0.limitsEnabled = true
        }) { sandbox in
            let time = SandboxTime(sandbox)
            let fixture = try await SyncFixture.make(sandbox, time: time)
            try await fixture.engine.load()
            try await sandbox.freezeClock()
            let spent = try #require(try await sandbox.adminJSON("requests").int("total"))
            #expect(spent > 80, "the load spent most of the hour's share: \(spent)")
            _ = try await sandbox.admin("DELETE", "requests")
            let patient = try #require(
                try await fixture.mirror.pool.read { db in try Int.fetchOne(db, sql: "SELECT min(id) FROM patients") })
            #expect(try await sandbox.admin("PATCH", "records/patients/\(patient)", ["cell_phone": "(555) 010-9999"]).status == 204)
            let start = try await sandbox.now()
            let daemon = SyncDaemon(engine: fixture.engine, time: time)
            // The daemon starts with everything as fresh as the load: patients are due at
            // 300 s, and the pass takes a moment of the sandbox's clock.
            try await daemon.run(until: start.addingTimeInterval(310))
            let phone = try await fixture.mirror.pool.read { db in
                try String.fetchOne(db, sql: "SELECT cell_phone FROM patients WHERE id = ?", arguments: [patient])
            }
            #expect(phone == "5550109999", "the new number within five minutes")
            try await daemon.run(until: start.addingTimeInterval(3600))
            let total = try #require(try await sandbox.adminJSON("requests").int("total"))
            #expect(total <= 125, "\(total) requests in the hour after the load")
        }
    }

    @Test("an opened chart reads its patient again, in one request, only when the mirror's copy is over five minutes old")
    func chartRefreshesAnOldPatient() async throws {
        try await withSandbox({ $0.size = .small }) { sandbox in
            let fixture = try await SyncFixture.make(sandbox, time: SandboxTime(sandbox))
            try await fixture.engine.load()
            try await sandbox.freezeClock()
            let patient = try #require(
                try await fixture.mirror.pool.read { db in try Int.fetchOne(db, sql: "SELECT min(id) FROM patients") })
            func phone() async throws -> String? {
                try await fixture.mirror.pool.read { db in
                    try String.fetchOne(db, sql: "SELECT cell_phone FROM patients WHERE id = ?", arguments: [patient])
                }
            }
            #expect(try await sandbox.admin("PATCH", "records/patients/\(patient)", ["cell_phone": "(555) 010-7777"]).status == 204)
            _ = try await sandbox.admin("DELETE", "requests")
            try await fixture.engine.loadChart(patient: patient)
            #expect(try await sandbox.count("GET /api/patients/{id}") == 0, "the list was read a moment ago")
            #expect(try await phone() != "5550107777")
            try await sandbox.advanceClock(seconds: 301)
            try await fixture.engine.loadChart(patient: patient)
            #expect(try await sandbox.count("GET /api/patients/{id}") == 1)
            #expect(try await phone() == "5550107777", "the chart shows the number changed in the web app")
        }
    }
}

/// Lines a daemon reported, gathered from its callback.
final class Lines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func add(_ line: String) { lock.withLock { lines.append(line) } }
    var all: [String] { lock.withLock { lines } }
}
