import DrChronoAPI
import Foundation
import GRDB
import Mirror
import Testing

@Suite("Writes on a booking DrChrono has just confirmed")
struct OutboxRenameTests {
    @Test("a check-in or a charge queued on the booking's local id reaches DrChrono's id")
    func localIdFollowsConfirmation() throws {
        let mirror = try MirrorDatabase.open(
            at: FileManager.default.temporaryDirectory.appendingPathComponent("renames-\(UUID().uuidString).sqlite").path)
        let now = LocalDateTime(year: 2026, month: 3, day: 4, hour: 9)
        try mirror.pool.write { db in
            let localId = try Outbox.book(
                Outbox.Booking(doctor: 1, office: 10, examRoom: 1, patient: 100, scheduledTime: now.adding(minutes: 60), duration: 30),
                in: db, now: now)
            let entry = try #require(try Outbox.entries(db).first)
            try Outbox.confirmCreate(
                entry,
                server: [
                    "id": "777", "doctor": 1, "office": 10, "exam_room": 1, "patient": 100,
                    "scheduled_time": "2026-03-04T10:00:00", "duration": 30, "status": "",
                ], in: db)
            // The screen still holds the local id when the person presses c, then a.
            try Outbox.setStatus("Checked In", appointment: localId, in: db, now: now)
            var charge = Outbox.Charge(code: "99213", procedureType: "C", diagnosisPointers: ["I10"], priceCents: 10_000)
            charge.quantity = 1
            try Outbox.charge(charge, appointment: localId, in: db, now: now)
            #expect(try Outbox.entries(db).map(\.target) == [.appointment("777"), .appointment("777")])
            #expect(try MirrorQueries.appointment(db, id: "777")?.status == "Checked In")
            #expect(try MirrorQueries.lineItems(db, appointment: "777").map(\.code) == ["99213"])
        }
    }
}
