import DrChronoAPI
import Foundation
import GRDB
import Mirror
import SandboxHarness
import Sync
import Testing

@Suite("Labs and vitals: the day's patients' results, and a chart's on opening")
struct LabSyncTests {
    @Test("the load reads the last month's lab orders and the results of today's patients; opening a chart reads its labs and vitals")
    func labsAndVitals() async throws {
        try await withSandbox { sandbox in
            let token = try await sandbox.token()
            // Two patients with labs: one seen today, one not.
            let orders = try await sandbox.all("/api/lab_orders", token: token).rows
            let patients = Array(Set(orders.compactMap { $0.int("patient") })).sorted()
            try #require(patients.count >= 2)
            let (seen, other) = (patients[0], patients[1])
            let booked = try await sandbox.send(
                "POST", "/api/appointments", token: token,
                json: [
                    "doctor": 101, "office": 1, "exam_room": 1, "patient": .int(seen), "duration": 30,
                    "scheduled_time": "2026-03-04T06:30:00", "reason": "Lab follow-up", "allow_overlapping": true,
                ])
            let visit = try #require(booked.json?.objectValue?.string("id"))
            #expect(
                try await sandbox.send("PATCH", "/api/appointments/\(visit)", token: token, json: ["status": "In Session"]).status == 204)

            let fixture = try await SyncFixture.make(sandbox)
            try await fixture.engine.load()
            #expect(try await fixture.count(.labOrders) == orders.count, "the last month's orders")
            #expect(
                try await fixture.ids(.patientLabResults) == (try await sandbox.mirroredIds(of: .patientLabResults)),
                "results entered in charts")
            func results(_ patient: Int) async throws -> [LabResult] {
                try await fixture.mirror.pool.read { db in try MirrorQueries.labResults(db, patient: patient) }
            }
            let expected = try await sandbox.all(
                "/api/lab_results", query: ["order": String(orders.first { $0.int("patient") == seen }!.int("id")!)], token: token
            ).rows
            #expect(try await results(seen).count == expected.count && !expected.isEmpty, "today's patient's results, read with the load")
            #expect(try await results(other).isEmpty, "no request for a patient not seen today")
            let day = try await fixture.mirror.pool.read { db in
                try MirrorQueries.myDay(
                    db, day: LocalDateTime(year: 2026, month: 3, day: 4), doctors: [101], zone: RunningSandbox.practiceZone)
            }
            let row = try #require(day.first { $0.appointment.id == visit })
            #expect(row.newResults == expected.count, "new to someone who never opened the chart")
            #expect(row.newAbnormal == expected.filter { !($0.string("abnormal_status") ?? "").isEmpty }.count)

            // Opening the other chart: its orders' results, and its visits' vitals (verbose).
            try await fixture.engine.loadChart(patient: seen)
            let vitals = try await fixture.mirror.pool.read { db in try MirrorQueries.vitals(db, patient: seen) }
            #expect(vitals.contains { $0.appointment == visit && $0.bloodPressure != nil }, "the visit in session has its vitals")
            try await fixture.engine.loadChart(patient: other)
            #expect(try await !results(other).isEmpty)

            // Having looked, nothing is new.
            try await fixture.mirror.pool.write { db in
                try AuditTrail.record(AuditTrail.Event(.chartOpen, patient: seen), at: Date(), in: db)
            }
            let after = try await fixture.mirror.pool.read { db in
                try MirrorQueries.myDay(
                    db, day: LocalDateTime(year: 2026, month: 3, day: 4), doctors: [101], zone: RunningSandbox.practiceZone)
            }
            #expect(after.first { $0.appointment.id == visit }?.newResults == 0)
        }
    }
}
