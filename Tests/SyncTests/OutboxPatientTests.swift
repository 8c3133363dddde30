import DrChronoAPI
import DrChronoSandbox
import Foundation
import GRDB
import Mirror
import SandboxHarness
import Sync
import Testing

@Suite("The write queue: new patients and changes to a patient's record")
struct OutboxPatientTests {
    static let now = OutboxTests.now

    static let caller: JSONObject = [
        "first_name": "Wren", "last_name": "Halvorsen-Test", "gender": "Other", "doctor": 101, "date_of_birth": "1988-09-02",
        "cell_phone": "(555) 010-7788",
        "primary_insurance": [
            "insurance_company": "Summit PPO", "insurance_payer_id": "SBX11", "insurance_id_number": "W123", "insurance_group_number": "G1",
        ],
    ]

    func localRows(_ mirror: MirrorDatabase) async throws -> Int {
        try await mirror.pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM patients WHERE id < 0") ?? -1 }
    }

    @Test("a new patient is searchable and bookable at once; the booking waits for DrChrono's id and is made with it")
    func registerThenBook() async throws {
        try await withSandbox { sandbox in
            let fixture = try await SyncFixture.make(sandbox)
            let local = try await fixture.mirror.pool.write { db in
                let local = try Outbox.register(patient: Self.caller, in: db, now: Self.now)
                var booking = OutboxTests().booking()
                booking.patient = local
                try Outbox.book(booking, in: db, now: Self.now)
                return local
            }
            #expect(local < 0)
            let found = try await fixture.mirror.pool.read { db in try MirrorQueries.searchPatients(db, "halvorsen") }
            #expect(found.map(\.id) == [local], "found by name before DrChrono has them")

            let report = try await OutboxPusher(mirror: fixture.mirror, client: fixture.logged.client).push()
            #expect(report.confirmed == 2)
            let made = try await sandbox.all("/api/patients", query: ["last_name": "Halvorsen-Test"], token: try await sandbox.token()).rows
            let id = try #require(made.first?.int("id"))
            #expect(made.count == 1)
            #expect(made.first?["primary_insurance"]?.objectValue?.string("insurance_id_number") == "W123")
            let visit = try #require(try await sandbox.adminJSON("records/appointments")["results"]?.arrayValue?.last?.objectValue)
            #expect(visit.int("patient") == id, "booked for DrChrono's patient, not the local id")
            #expect(try await localRows(fixture.mirror) == 0)
            let schedule = try await fixture.mirror.pool.read { db in try MirrorQueries.daySchedule(db, day: "2026-03-07") }
            #expect(schedule.first?.patient == id)
        }
    }

    @Test("the answer to a registration is lost: the patient is found at DrChrono by name and birth date, not made twice")
    func droppedRegistration() async throws {
        try await withSandbox { sandbox in
            let fixture = try await SyncFixture.make(sandbox)
            try await fixture.mirror.pool.write { db in _ = try Outbox.register(patient: Self.caller, in: db, now: Self.now) }
            // Every write's answer is lost after DrChrono committed it (reads still answer).
            _ = try await sandbox.admin("PUT", "faults", ["spec": "drop=1"])
            let report = try await OutboxPusher(mirror: fixture.mirror, client: fixture.logged.client).push()
            _ = try await sandbox.admin("PUT", "faults", ["spec": "none"])
            #expect(report.reconciled == 1 && report.confirmed == 0)
            #expect(try await fixture.mirror.pool.read { db in try Outbox.count(db) } == 0)
            #expect(try await sandbox.count("POST /api/patients") == 1)
            #expect(try await localRows(fixture.mirror) == 0)
        }
    }

    @Test("a registration DrChrono answers 409 (registered elsewhere meanwhile) takes that chart: still one patient")
    func registeredElsewhere() async throws {
        try await withSandbox { sandbox in
            let fixture = try await SyncFixture.make(sandbox)
            let token = try await sandbox.token()
            let elsewhere = try await sandbox.send("POST", "/api/patients", token: token, json: .object(Self.caller))
            #expect(elsewhere.status == 201)
            try await fixture.mirror.pool.write { db in _ = try Outbox.register(patient: Self.caller, in: db, now: Self.now) }
            let report = try await OutboxPusher(mirror: fixture.mirror, client: fixture.logged.client).push()
            #expect(report.reconciled == 1)
            #expect(try await sandbox.all("/api/patients", query: ["last_name": "Halvorsen-Test"], token: token).rows.count == 1)
            #expect(try await localRows(fixture.mirror) == 0)
        }
    }

    @Test("a change shows at once, a pull does not undo it, and DrChrono gets only the changed fields")
    func changeKeptUntilConfirmed() async throws {
        try await withSandbox { sandbox in
            let fixture = try await SyncFixture.make(sandbox)
            try await fixture.engine.load()
            try await fixture.mirror.pool.write { db in
                try Outbox.updatePatient(
                    10001, changes: ["address": "9 New Road", "primary_insurance": ["insurance_id_number": "NEW-1"]], in: db, now: Self.now)
            }
            try await sandbox.advanceClock(seconds: 120)
            #expect(try await sandbox.admin("PATCH", "records/patients/10001", ["nick_name": "Elsewhere"]).status == 204)
            _ = try await fixture.engine.pass([.patients])
            let held = try await fixture.mirror.pool.read { db in try MirrorQueries.patientRecord(db, id: 10001) }
            #expect(held?.string("address") == "9 New Road", "the queued change stays on screen through a pull")
            #expect(held?["primary_insurance"]?.objectValue?.string("insurance_id_number") == "NEW-1")

            _ = try await OutboxPusher(mirror: fixture.mirror, client: fixture.logged.client).push()
            let server = try await sandbox.adminJSON("records/patients/10001")
            #expect(server.string("address") == "9 New Road")
            let card = server["primary_insurance"]?.objectValue ?? [:]
            #expect(card.string("insurance_id_number") == "NEW-1")
            #expect(card.string("insurance_company")?.isEmpty == false, "the rest of the card is kept")
            #expect(server.string("nick_name") == "Elsewhere", "a field not changed here is not sent back over another's change")
        }
    }

    @Test("a registration given up fails the booking that waited for it, in words; nothing reaches DrChrono")
    func discardedRegistration() async throws {
        try await withSandbox { sandbox in
            let fixture = try await SyncFixture.make(sandbox)
            var caller = Self.caller
            caller["gender"] = "Robot"  // DrChrono refuses it: the entry fails
            let refused = caller
            try await fixture.mirror.pool.write { db in
                let local = try Outbox.register(patient: refused, in: db, now: Self.now)
                var booking = OutboxTests().booking()
                booking.patient = local
                try Outbox.book(booking, in: db, now: Self.now)
            }
            _ = try await OutboxPusher(mirror: fixture.mirror, client: fixture.logged.client).push()
            let failed = try #require(try await fixture.mirror.pool.read { db in try Outbox.entries(db) }.first)
            #expect(failed.kind == .patientCreate && failed.state == .failed)
            #expect(failed.message?.contains("gender") == true, "\(failed.message ?? "")")
            _ = try await fixture.mirror.pool.write { db in try Outbox.discard(failed.seq, in: db) }
            _ = try await OutboxPusher(mirror: fixture.mirror, client: fixture.logged.client).push()
            let left = try await fixture.mirror.pool.read { db in try Outbox.entries(db) }
            #expect(left.map(\.kind) == [.appointmentCreate])
            #expect(left.first?.state == .failed && left.first?.message == "The new patient it was for was discarded.")
            #expect(try await localRows(fixture.mirror) == 0)
            #expect(try await sandbox.count("POST /api/appointments") == 0)
        }
    }
}

@Suite("The write queue: payments")
struct OutboxPaymentTests {
    @Test("a copay on a booking still queued waits for it, shows in the day's collections at once, and reaches DrChrono once")
    func copayOnQueuedBooking() async throws {
        try await withSandbox { sandbox in
            let fixture = try await SyncFixture.make(sandbox)
            let now = OutboxTests.now
            try await fixture.mirror.pool.write { db in
                let visit = try Outbox.book(OutboxTests().booking(), in: db, now: now)
                try Outbox.collect(
                    Outbox.Payment(patient: 10001, appointment: visit, amountCents: 2500, method: "CRDT", kind: "COPAY"), in: db, now: now)
            }
            let shown = try await fixture.mirror.pool.read { db in try MirrorQueries.collections(db, day: now.dateString) }
            #expect(shown.map(\.amountCents) == [2500] && shown.first?.pending == true)
            let report = try await OutboxPusher(mirror: fixture.mirror, client: fixture.logged.client).push()
            #expect(report.confirmed == 2)
            let visit = try #require(
                try await sandbox.adminJSON("records/appointments")["results"]?.arrayValue?.last?.objectValue?.int("id"))
            let paid = try await sandbox.all("/api/patient_payments", query: ["patient": "10001"], token: try await sandbox.token()).rows
                .filter { $0.int("appointment") == visit }
            #expect(paid.count == 1 && paid.first?["amount"]?.doubleValue == 25 && paid.first?.string("payment_method") == "CRDT")
            let after = try await fixture.mirror.pool.read { db in try MirrorQueries.collections(db, day: now.dateString) }
            #expect(after.count == 1 && after.first?.pending == false && after.first?.desk == "frontdesk", "\(after)")
        }
    }

    @Test("the answer to a payment is lost: it is found by its marker, not taken twice")
    func droppedPayment() async throws {
        try await withSandbox { sandbox in
            let fixture = try await SyncFixture.make(sandbox)
            try await fixture.mirror.pool.write { db in
                try Outbox.collect(
                    Outbox.Payment(patient: 10002, appointment: nil, amountCents: 4000, method: "CASH", kind: "OTHR"), in: db,
                    now: OutboxTests.now)
            }
            _ = try await sandbox.admin("PUT", "faults", ["spec": "drop=1"])
            let report = try await OutboxPusher(mirror: fixture.mirror, client: fixture.logged.client).push()
            _ = try await sandbox.admin("PUT", "faults", ["spec": "none"])
            #expect(report.reconciled == 1)
            #expect(try await sandbox.count("POST /api/patient_payments") == 1)
            #expect(try await fixture.mirror.pool.read { db in try Outbox.count(db) } == 0)
        }
    }
}
