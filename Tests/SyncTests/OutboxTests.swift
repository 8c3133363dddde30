import DrChronoAPI
import DrChronoSandbox
import Foundation
import GRDB
import Mirror
import SandboxHarness
import Sync
import Testing

@Suite("The write queue: each booking reaches DrChrono exactly once")
struct OutboxTests {
    static let now = LocalDateTime(year: 2026, month: 3, day: 4, hour: 10, minute: 30)

    /// Saturday 7 March: an empty day, so nothing clashes unless a test wants it to.
    func booking(hour: Int = 9, notes: String = "") -> Outbox.Booking {
        var booking = Outbox.Booking(
            doctor: 101, office: 1, examRoom: 1, patient: 10001,
            scheduledTime: LocalDateTime(year: 2026, month: 3, day: 7, hour: hour), duration: 30)
        booking.reason = "Follow-up visit"
        booking.notes = notes
        return booking
    }

    func pending(_ mirror: MirrorDatabase, _ id: String) async throws -> Bool {
        try await mirror.pool.read { db in
            try Bool.fetchOne(db, sql: "SELECT pending FROM appointments WHERE id = ?", arguments: [id]) ?? false
        }
    }

    /// The sandbox's appointments carrying `marker` in their notes.
    func stored(_ sandbox: RunningSandbox, _ marker: String) async throws -> Int {
        let encoded = marker.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? marker
        return try await sandbox.adminJSON("records/appointments?notes_contains=\(encoded)").int("count") ?? -1
    }

    @Test("a booking shows at once, pending, then is sent once and takes DrChrono's id")
    func bookAndPush() async throws {
        try await withSandbox { sandbox in
            let fixture = try await SyncFixture.make(sandbox)
            let local = try await fixture.mirror.pool.write { db in
                try Outbox.book(booking(notes: "knee pain"), in: db, now: OutboxTests.now)
            }
            #expect(local.hasPrefix("local-"))
            let shown = try await fixture.mirror.pool.read { db in try MirrorQueries.daySchedule(db, day: "2026-03-07") }
            #expect(shown.map(\.id) == [local], "on the schedule before DrChrono knows of it")
            #expect(try await pending(fixture.mirror, local))
            #expect(
                try await fixture.mirror.pool.read { db in
                    Set(
                        try String.fetchAll(db, sql: "SELECT id FROM appointments WHERE day = ? AND pending = 1", arguments: ["2026-03-07"])
                    )
                } == [local])
            #expect(try await fixture.mirror.pool.read { db in try Outbox.count(db) } == 1)

            let pusher = OutboxPusher(mirror: fixture.mirror, client: fixture.logged.client)
            let report = try await pusher.push()
            #expect(report.confirmed == 1)
            let marker = try #require(
                try await sandbox.adminJSON("records/appointments")["results"]?.arrayValue?.last?.objectValue?.string("notes"))
            #expect(marker.hasPrefix("knee pain [ct:"))
            let after = try await fixture.mirror.pool.read { db in try MirrorQueries.daySchedule(db, day: "2026-03-07") }
            let id = try #require(after.first?.id)
            #expect(after.count == 1 && !id.hasPrefix("local-") && Int(id) != nil, "the local id was replaced by DrChrono's")
            #expect(try await !pending(fixture.mirror, id))
            #expect(
                try await fixture.mirror.pool.read { db in
                    Set(
                        try String.fetchAll(db, sql: "SELECT id FROM appointments WHERE day = ? AND pending = 1", arguments: ["2026-03-07"])
                    )
                }.isEmpty)
            #expect(try await fixture.mirror.pool.read { db in try Outbox.count(db) } == 0)
            #expect(try await sandbox.count("POST /api/appointments") == 1)
        }
    }

    @Test("a check-in queued on an unsent booking waits for it, then follows with the real id")
    func ordering() async throws {
        try await withSandbox { sandbox in
            let fixture = try await SyncFixture.make(sandbox)
            try await fixture.mirror.pool.write { db in
                let local = try Outbox.book(booking(), in: db, now: OutboxTests.now)
                try Outbox.setStatus("Checked In", appointment: local, in: db, now: OutboxTests.now)
            }
            let report = try await OutboxPusher(mirror: fixture.mirror, client: fixture.logged.client).push()
            #expect(report.confirmed == 2)
            let made = try #require(try await sandbox.adminJSON("records/appointments")["results"]?.arrayValue?.last?.objectValue)
            #expect(made.string("status") == "Checked In")
            let row = try await fixture.mirror.pool.read { db in try MirrorQueries.daySchedule(db, day: "2026-03-07") }
            #expect(row.first?.status == "Checked In" && row.first?.id == made.string("id"))
        }
    }

    @Test("the connection drops after DrChrono committed: the booking is found by its marker, not sent again")
    func droppedAfterCommit() async throws {
        try await withSandbox({ $0.faults = try! FaultSpec(parsing: "drop=1") }) { sandbox in
            let fixture = try await SyncFixture.make(sandbox)
            try await fixture.mirror.pool.write { db in _ = try Outbox.book(booking(notes: "drop test"), in: db, now: OutboxTests.now) }
            let report = try await OutboxPusher(mirror: fixture.mirror, client: fixture.logged.client).push()
            #expect(report.reconciled == 1 && report.confirmed == 0)
            #expect(try await sandbox.count("POST /api/appointments") == 1, "never resent")
            #expect(try await stored(sandbox, "drop test") == 1)
            #expect(try await fixture.mirror.pool.read { db in try Outbox.count(db) } == 0)
        }
    }

    @Test("DrChrono fails before committing, then recovers: the ambiguous booking is looked for, not found, and sent once")
    func failedThenRecovered() async throws {
        try await withSandbox({ $0.faults = try! FaultSpec(parsing: "5xx=1") }) { sandbox in
            let fixture = try await SyncFixture.make(sandbox, time: RecordingTimeSource())
            try await fixture.mirror.pool.write { db in _ = try Outbox.book(booking(notes: "outage test"), in: db, now: OutboxTests.now) }
            let pusher = OutboxPusher(mirror: fixture.mirror, client: fixture.logged.client)
            let during = try await pusher.push()
            #expect(during.confirmed == 0)
            #expect(try await fixture.mirror.pool.read { db in try Outbox.entries(db).first?.state } == .ambiguous)
            _ = try await sandbox.admin("PUT", "faults", ["spec": "none"])
            let after = try await pusher.push()
            #expect(after.confirmed == 1)
            #expect(try await stored(sandbox, "outage test") == 1)
            #expect(try await fixture.mirror.pool.read { db in try Outbox.count(db) } == 0)
        }
    }

    @Test("an overlap becomes a conflict for the person to resolve, in words; nothing is booked")
    func conflict() async throws {
        try await withSandbox { sandbox in
            let fixture = try await SyncFixture.make(sandbox)
            let token = try await sandbox.token()
            _ = try await sandbox.send(
                "POST", "/api/appointments", token: token,
                json: [
                    "doctor": 101, "office": 1, "exam_room": 1, "patient": 10002, "scheduled_time": "2026-03-07T09:00:00", "duration": 30,
                ])
            try await fixture.mirror.pool.write { db in _ = try Outbox.book(booking(notes: "clash"), in: db, now: OutboxTests.now) }
            let report = try await OutboxPusher(mirror: fixture.mirror, client: fixture.logged.client).push()
            #expect(report.confirmed == 0)
            let entry = try #require(try await fixture.mirror.pool.read { db in try Outbox.entries(db).first })
            #expect(entry.state == .conflict)
            #expect(entry.message?.contains("overlaps") == true)
            #expect(try await stored(sandbox, "clash") == 0)
        }
    }

    @Test("a pull never overwrites a row that still has a pending write")
    func pullKeepsLocalIntent() async throws {
        try await withSandbox { sandbox in
            let fixture = try await SyncFixture.make(sandbox)
            try await fixture.engine.load()
            try await fixture.mirror.pool.write { db in
                try Outbox.setStatus("Arrived", appointment: "1000330", in: db, now: OutboxTests.now)
            }
            try await sandbox.advanceClock(seconds: 120)
            #expect(try await sandbox.admin("PATCH", "records/appointments/1000330", ["status": "No Show"]).status == 204)
            _ = try await fixture.engine.pass([.appointments])
            let row = try await fixture.mirror.pool.read { db in try MirrorQueries.appointment(db, id: "1000330") }
            #expect(row?.status == "Arrived", "local intent stays until DrChrono confirms it")
            _ = try await OutboxPusher(mirror: fixture.mirror, client: fixture.logged.client).push()
            #expect(try await sandbox.adminJSON("records/appointments/1000330").string("status") == "Arrived")
            #expect(try await !pending(fixture.mirror, "1000330"))
        }
    }
}

@Suite("The write queue: charges")
struct OutboxChargeTests {
    func charge(_ code: String = "99213") -> Outbox.Charge {
        var charge = Outbox.Charge(code: code, procedureType: "C", diagnosisPointers: ["I10"], priceCents: 11000)
        charge.modifiers = ["25"]
        return charge
    }

    @Test("a charge keyed on a booking still in the queue waits for it, then bills the real appointment")
    func chargeOnQueuedBooking() async throws {
        try await withSandbox { sandbox in
            let fixture = try await SyncFixture.make(sandbox)
            let local = try await fixture.mirror.pool.write { db -> String in
                let local = try Outbox.book(OutboxTests().booking(), in: db, now: OutboxTests.now)
                try Outbox.charge(charge(), appointment: local, in: db, now: OutboxTests.now)
                return local
            }
            let shown = try await fixture.mirror.pool.read { db in try MirrorQueries.lineItems(db, appointment: local) }
            #expect(shown.map(\.code) == ["99213"], "on the bill before DrChrono knows of it")
            let report = try await OutboxPusher(mirror: fixture.mirror, client: fixture.logged.client).push()
            #expect(report.confirmed == 2)
            let appointment = try #require(
                try await fixture.mirror.pool.read { db in try MirrorQueries.daySchedule(db, day: "2026-03-07") }.first?.id)
            let billed = try await fixture.mirror.pool.read { db in try MirrorQueries.lineItems(db, appointment: appointment) }
            #expect(billed.count == 1 && billed[0].id > 0 && billed[0].priceCents == 11000 && billed[0].modifiers == ["25"])
            let served = try await sandbox.all("/api/line_items", query: ["appointment": appointment], token: try await sandbox.token())
                .rows
            #expect(served.count == 1)
        }
    }

    @Test("two pushes at once — a write just queued and the daemon's turn — send each charge once")
    func concurrentPushes() async throws {
        try await withSandbox { sandbox in
            let fixture = try await SyncFixture.make(sandbox)
            try await fixture.engine.load()
            try await fixture.mirror.pool.write { db in
                for code in ["36415", "99213", "93000"] {
                    try Outbox.charge(charge(code), appointment: "1000330", in: db, now: OutboxTests.now)
                }
            }
            let pusher = OutboxPusher(mirror: fixture.mirror, client: fixture.logged.client)
            async let first = pusher.push()
            async let second = pusher.push()
            let (a, b) = try await (first, second)
            #expect(a.confirmed + b.confirmed == 3)
            #expect(try await sandbox.count("POST /api/line_items") == 3, "each charge sent once")
            let served = try await sandbox.all("/api/line_items", query: ["appointment": "1000330"], token: try await sandbox.token()).rows
            for code in ["36415", "99213", "93000"] { #expect(served.filter { $0.string("code") == code }.count == 1, "\(code)") }
        }
    }

    @Test("a charge whose answer was lost is recognised as the one new line item, not billed twice")
    func droppedCharge() async throws {
        try await withSandbox { sandbox in
            let fixture = try await SyncFixture.make(sandbox)
            try await fixture.engine.load()
            try await fixture.mirror.pool.write { db in
                try Outbox.charge(charge("36415"), appointment: "1000330", in: db, now: OutboxTests.now)
            }
            _ = try await sandbox.admin("PUT", "faults", ["spec": "drop=1"])
            let report = try await OutboxPusher(mirror: fixture.mirror, client: fixture.logged.client).push()
            _ = try await sandbox.admin("PUT", "faults", ["spec": "none"])
            #expect(report.reconciled == 1)
            let served = try await sandbox.all("/api/line_items", query: ["appointment": "1000330"], token: try await sandbox.token()).rows
            #expect(served.filter { $0.string("code") == "36415" }.count == 1)
            #expect(try await sandbox.count("POST /api/line_items") == 1)
            #expect(try await fixture.mirror.pool.read { db in try Outbox.count(db) } == 0)
        }
    }
}

/// Sleeps without waiting, so retries in an outage take no time.
actor RecordingTimeSource: TimeSource {
    func now() async -> Date { Date() }
    func sleep(seconds: TimeInterval) async throws {}
}

@Suite("The write queue: moves, deletions and being offline")
struct OutboxMoreTests {
    @Test("a move and a deletion show at once and reach DrChrono; a move onto a taken slot is a conflict")
    func moveAndDelete() async throws {
        try await withSandbox { sandbox in
            let fixture = try await SyncFixture.make(sandbox)
            let pusher = OutboxPusher(mirror: fixture.mirror, client: fixture.logged.client)
            try await fixture.mirror.pool.write { db in
                _ = try Outbox.book(OutboxTests().booking(hour: 9), in: db, now: OutboxTests.now)
                _ = try Outbox.book(OutboxTests().booking(hour: 11), in: db, now: OutboxTests.now)
            }
            _ = try await pusher.push()
            let booked = try await fixture.mirror.pool.read { db in try MirrorQueries.daySchedule(db, day: "2026-03-07") }.map(\.id)
            #expect(booked.count == 2)
            let moved = LocalDateTime(year: 2026, month: 3, day: 7, hour: 14)
            try await fixture.mirror.pool.write { db in
                try Outbox.reschedule(appointment: booked[0], to: moved, examRoom: 2, in: db, now: OutboxTests.now)
                try Outbox.delete(appointment: booked[1], in: db, now: OutboxTests.now)
            }
            let shown = try await fixture.mirror.pool.read { db in try MirrorQueries.daySchedule(db, day: "2026-03-07") }
            #expect(shown.map(\.id) == [booked[0]] && shown[0].scheduledTime == moved && shown[0].examRoom == 2)
            let report = try await pusher.push()
            #expect(report.confirmed == 2)
            let server = try await sandbox.adminJSON("records/appointments/\(booked[0])")
            #expect(server.string("scheduled_time") == "2026-03-07T14:00:00" && server.int("exam_room") == 2)
            #expect(try await sandbox.adminJSON("records/appointments/\(booked[1])")["deleted_flag"] == .bool(true))

            // Onto another booking's slot: DrChrono answers 409, the person decides.
            try await fixture.mirror.pool.write { db in _ = try Outbox.book(OutboxTests().booking(hour: 16), in: db, now: OutboxTests.now) }
            _ = try await pusher.push()
            try await fixture.mirror.pool.write { db in
                try Outbox.reschedule(
                    appointment: booked[0], to: LocalDateTime(year: 2026, month: 3, day: 7, hour: 16), examRoom: 1, in: db,
                    now: OutboxTests.now)
            }
            _ = try await pusher.push()
            #expect(try await fixture.mirror.pool.read { db in try Outbox.entries(db).first?.state } == .conflict)
        }
    }

    @Test("offline, bookings go on: shown, counted, and kept pending with nothing sent (recovery: failedThenRecovered)")
    func offline() async throws {
        let sandbox = try await RunningSandbox.start()
        let fixture = try await SyncFixture.make(sandbox, time: RecordingTimeSource())
        await sandbox.stop()  // DrChrono unreachable from here on
        try await fixture.mirror.pool.write { db in
            for hour in [9, 10, 11] { _ = try Outbox.book(OutboxTests().booking(hour: hour), in: db, now: OutboxTests.now) }
        }
        let pusher = OutboxPusher(mirror: fixture.mirror, client: fixture.logged.client)
        let attempt = try await pusher.push()
        #expect(attempt.confirmed == 0 && attempt.stopped?.contains("cannot be reached") == true)
        #expect(try await fixture.mirror.pool.read { db in try Outbox.count(db) } == 3)
        #expect(
            try await fixture.mirror.pool.read { db in try Outbox.entries(db).map(\.state) } == [OutboxState.pending, .pending, .pending],
            "a connection refused means nothing was sent")
        #expect(
            try await fixture.mirror.pool.read { db in try MirrorQueries.daySchedule(db, day: "2026-03-07") }.count == 3,
            "on the schedule meanwhile")
    }
}

@Suite("The write queue: documents")
struct OutboxUploadTests {
    static let pdf = Data("%PDF-1.4\n% a scanned insurance card\n".utf8)

    func upload(_ description: String) -> Outbox.Upload {
        Outbox.Upload(
            patient: 10004, doctor: 101, description: description, date: "2026-03-04", fileName: "card.pdf",
            contentType: "application/pdf", bytes: OutboxUploadTests.pdf)
    }

    @Test("a scan queued for a chart shows at once, reaches DrChrono byte for byte, and takes its id")
    func uploadThroughQueue() async throws {
        try await withSandbox { sandbox in
            let fixture = try await SyncFixture.make(sandbox)
            let local = try await fixture.mirror.pool.write { db in
                try Outbox.upload(upload("Insurance card (front)"), in: db, now: OutboxTests.now)
            }
            let before = try await fixture.mirror.pool.read { db in try MirrorQueries.chart(db, patient: 10004) }
            #expect(before.documents.map(\.id) == [local])
            let report = try await OutboxPusher(mirror: fixture.mirror, client: fixture.logged.client).push()
            #expect(report.confirmed == 1)
            let after = try await fixture.mirror.pool.read { db in try MirrorQueries.chart(db, patient: 10004) }
            let document = try #require(after.documents.first)
            #expect(after.documents.count == 1 && document.id > 0 && document.description == "Insurance card (front)")
            let file = try await sandbox.send("GET", try #require(document.url))
            #expect(file.body == OutboxUploadTests.pdf)
            #expect(try await fixture.mirror.pool.read { db in try Outbox.count(db) } == 0)
        }
    }

    @Test("an upload whose answer was lost is recognised, not uploaded twice")
    func droppedUpload() async throws {
        try await withSandbox({ $0.faults = try! FaultSpec(parsing: "drop=1") }) { sandbox in
            let fixture = try await SyncFixture.make(sandbox)
            try await fixture.mirror.pool.write { db in _ = try Outbox.upload(upload("Referral letter"), in: db, now: OutboxTests.now) }
            let report = try await OutboxPusher(mirror: fixture.mirror, client: fixture.logged.client).push()
            #expect(report.reconciled == 1)
            let documents = try await sandbox.adminJSON("records/documents")["results"]?.arrayValue ?? []
            #expect(documents.compactMap(\.objectValue).filter { $0.string("description") == "Referral letter" }.count == 1)
            #expect(try await sandbox.count("POST /api/documents") == 1)
        }
    }
}
