import DrChronoAPI
import DrChronoSandbox
import Foundation
import GRDB
import Mirror
import SandboxHarness
import Sync
import Testing

@Suite("The write queue: charges corrected and voided")
struct OutboxChargeFixTests {
    @Test("a correction shows at once, a pull does not undo it, and DrChrono gets only the changed fields, once")
    func correctCharge() async throws {
        try await withSandbox { sandbox in
            let fixture = try await SyncFixture.make(sandbox)
            try await fixture.engine.load()
            let before = try await sandbox.adminJSON("records/line_items/3000001")
            let visit = try #require(before.string("appointment"))
            let was = try #require(
                try await fixture.mirror.pool.read { db in try MirrorQueries.lineItems(db, appointment: visit) }
                    .first { $0.id == 3_000_001 })
            try await fixture.mirror.pool.write { db in
                _ = try Outbox.fixCharge(
                    3_000_001, changes: ChargeChange(code: "99214", price: Money(cents: 15_000)), in: db, now: OutboxTests.now)
            }
            try await sandbox.advanceClock(seconds: 120)
            #expect(try await sandbox.admin("PATCH", "records/line_items/3000001", ["units": "UN"]).status == 204)
            _ = try await fixture.engine.pass([.lineItems])
            let shown = try await fixture.mirror.pool.read { db in try MirrorQueries.lineItems(db, appointment: visit) }
            #expect(shown.first { $0.id == 3_000_001 }.map { ($0.code, $0.priceCents) } ?? ("", 0) == ("99214", 15000))
            // What is owed moves with the price at once: the visit's total and its balance agree.
            let billedChange =
                Money.line(priceCents: 15_000, quantity: was.quantity) - Money.line(priceCents: was.priceCents, quantity: was.quantity)
            #expect(shown.first { $0.id == 3_000_001 }?.balanceCents == was.balanceCents + billedChange)

            _ = try await OutboxPusher(mirror: fixture.mirror, client: fixture.logged.client).push()
            let after = try await sandbox.adminJSON("records/line_items/3000001")
            #expect(after.string("code") == "99214" && after["price"]?.doubleValue == 150)
            #expect(after.strings("diagnosis_pointers") == before.strings("diagnosis_pointers"), "what was not changed is kept")
            #expect(try await sandbox.count("PATCH /api/line_items/{id}") == 1)
            let held = try await fixture.mirror.pool.read { db in
                try Bool.fetchOne(db, sql: "SELECT pending FROM line_items WHERE id = 3000001")
            }
            #expect(held == false)
        }
    }

    @Test("a void leaves the bill at once and DrChrono once; a lost answer is not a second void; a queued charge is voided unsent")
    func voidCharge() async throws {
        try await withSandbox { sandbox in
            let fixture = try await SyncFixture.make(sandbox)
            try await fixture.engine.load()
            let visit = try #require(try await sandbox.adminJSON("records/line_items/3000002").string("appointment"))
            try await fixture.mirror.pool.write { db in _ = try Outbox.voidCharge(3_000_002, in: db, now: OutboxTests.now) }
            let shown = try await fixture.mirror.pool.read { db in try MirrorQueries.lineItems(db, appointment: visit) }
            #expect(!shown.contains { $0.id == 3_000_002 })
            _ = try await sandbox.admin("PUT", "faults", ["spec": "drop=1"])
            _ = try? await OutboxPusher(mirror: fixture.mirror, client: fixture.logged.client).push()
            _ = try await sandbox.admin("PUT", "faults", ["spec": "none"])
            _ = try await OutboxPusher(mirror: fixture.mirror, client: fixture.logged.client).push()
            #expect(try await fixture.mirror.pool.read { db in try Outbox.count(db) } == 0)
            #expect(try await sandbox.send("GET", "/api/line_items/3000002", token: try await sandbox.token()).status == 404)
            let deletions = try await sandbox.all("/api/line_item_deletions", query: [:], token: try await sandbox.token()).rows
            #expect(deletions.filter { $0.int("billing_line_item_id") == 3_000_002 }.count == 1, "voided once")

            // A charge still in the queue: voiding it takes it out; DrChrono never hears of it.
            let local = try await fixture.mirror.pool.write { db in
                try Outbox.charge(
                    Outbox.Charge(code: "99213", procedureType: "C", diagnosisPointers: ["I10"], priceCents: 9000), appointment: visit,
                    in: db,
                    now: OutboxTests.now)
            }
            try await fixture.mirror.pool.write { db in _ = try Outbox.voidCharge(local, in: db, now: OutboxTests.now) }
            #expect(try await fixture.mirror.pool.read { db in try Outbox.count(db) } == 0)
            _ = try await OutboxPusher(mirror: fixture.mirror, client: fixture.logged.client).push()
            #expect(try await sandbox.count("POST /api/line_items") == 0)
        }
    }

    @Test("a correction of a charge still queued waits for it, then corrects DrChrono's line item")
    func correctQueuedCharge() async throws {
        try await withSandbox { sandbox in
            let fixture = try await SyncFixture.make(sandbox)
            try await fixture.mirror.pool.write { db in
                let visit = try Outbox.book(OutboxTests().booking(), in: db, now: OutboxTests.now)
                let local = try Outbox.charge(
                    Outbox.Charge(code: "99213", procedureType: "C", diagnosisPointers: ["I10"], priceCents: 9000), appointment: visit,
                    in: db,
                    now: OutboxTests.now)
                _ = try Outbox.fixCharge(local, changes: ChargeChange(price: Money(cents: 9_500)), in: db, now: OutboxTests.now)
            }
            let report = try await OutboxPusher(mirror: fixture.mirror, client: fixture.logged.client).push()
            #expect(report.confirmed == 3)
            let item = try #require(try await sandbox.adminJSON("records/line_items")["results"]?.arrayValue?.last?.objectValue)
            #expect(item["price"]?.doubleValue == 95 && item.string("code") == "99213")
            #expect(try await sandbox.count("POST /api/line_items") == 1)
            #expect(try await sandbox.count("PATCH /api/line_items/{id}") == 1)
        }
    }

    @Test("a visit marked Bill Insurance and a note on its claim reach DrChrono once; a lost note's answer is found by its marker")
    func billingStatusAndClaimNote() async throws {
        try await withSandbox { sandbox in
            let fixture = try await SyncFixture.make(sandbox)
            try await fixture.engine.load()
            try await fixture.mirror.pool.write { db in
                try Outbox.setBillingStatus("Bill Insurance", appointment: "1000300", in: db, now: OutboxTests.now)
                try Outbox.noteClaim("Resubmitted with modifier 25", appointment: "1000300", in: db, now: OutboxTests.now)
            }
            let shown = try await fixture.mirror.pool.read { db in try MirrorQueries.billingStatuses(db, appointments: ["1000300"]) }
            #expect(shown == ["1000300": "Bill Insurance"], "shown at once")
            _ = try await sandbox.admin("PUT", "faults", ["spec": "drop=1"])
            _ = try? await OutboxPusher(mirror: fixture.mirror, client: fixture.logged.client).push()
            _ = try await sandbox.admin("PUT", "faults", ["spec": "none"])
            _ = try await OutboxPusher(mirror: fixture.mirror, client: fixture.logged.client).push()
            #expect(try await fixture.mirror.pool.read { db in try Outbox.count(db) } == 0)
            #expect(try await sandbox.adminJSON("records/appointments/1000300").string("billing_status") == "Bill Insurance")
            let notes = try await sandbox.all(
                "/api/claim_billing_notes", query: ["appointment": "1000300"], token: try await sandbox.token()
            ).rows
            #expect(notes.count == 1 && notes.first?.string("text")?.hasPrefix("Resubmitted with modifier 25 [ct:") == true, "\(notes)")
            #expect(try await sandbox.count("POST /api/claim_billing_notes") == 1)
        }
    }
}
