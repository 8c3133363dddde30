import DrChronoAPI
import Foundation
import GRDB
import Mirror
import Testing

@Suite("The audit trail")
struct AuditTrailTests {
    func trail() throws -> MirrorDatabase {
        let mirror = try MirrorDatabase.open(
            at: FileManager.default.temporaryDirectory.appendingPathComponent("audit-\(UUID().uuidString).sqlite").path)
        try mirror.pool.write { db in
            try AuditTrail.record(.init(.login), user: "frontdesk", in: db)
            try AuditTrail.record(.init(.chartOpen, patient: 100), user: "frontdesk", in: db)
            try AuditTrail.record(.init(.noteOpen, patient: 100, reference: "clinical note 5001"), user: "frontdesk", in: db)
            try AuditTrail.record(.init(.billingOpen, patient: 101, appointment: "1002"), user: "frontdesk", in: db)
        }
        return mirror
    }

    /// What someone with the file and sqlite3 could do: drop the guards, then edit.
    func tamper(_ mirror: MirrorDatabase, _ sql: String) throws {
        try mirror.pool.write { db in
            try db.execute(sql: "DROP TRIGGER audit_is_append_only_update; DROP TRIGGER audit_is_append_only_delete")
            try db.execute(sql: sql)
        }
    }

    @Test("an untouched trail verifies; entries name who, what and when, by id")
    func intact() throws {
        let mirror = try trail()
        try mirror.pool.read { db in
            #expect(try AuditTrail.verify(db).isEmpty)
            let entries = try AuditTrail.entries(db, patient: 100)
            #expect(entries.map(\.event) == ["chart.open", "note.open"])
            #expect(entries.allSatisfy { $0.user == "frontdesk" && !$0.osUser.isEmpty })
        }
    }

    @Test("the trail refuses to be changed in place")
    func appendOnly() throws {
        let mirror = try trail()
        #expect(throws: DatabaseError.self) {
            try mirror.pool.write { try $0.execute(sql: "UPDATE audit SET patient = 999 WHERE seq = 2") }
        }
        #expect(throws: DatabaseError.self) { try mirror.pool.write { try $0.execute(sql: "DELETE FROM audit WHERE seq = 2") } }
    }

    @Test("an edited entry is found")
    func edited() throws {
        let mirror = try trail()
        try tamper(mirror, "UPDATE audit SET patient = 999 WHERE seq = 2")
        #expect(try mirror.pool.read { try AuditTrail.verify($0) }.map(\.description) == ["entry 2: was changed after it was written"])
    }

    @Test("a deleted entry is found, in the middle or at the end")
    func deleted() throws {
        let middle = try trail()
        try tamper(middle, "DELETE FROM audit WHERE seq = 2")
        let found = try middle.pool.read { try AuditTrail.verify($0) }.map(\.description)
        #expect(found.contains("entry 2: missing (deleted) — the trail jumps to entry 3"))
        #expect(found.contains("entry 3: does not follow the entry before it (an entry before it was deleted or changed)"))

        let end = try trail()
        try tamper(end, "DELETE FROM audit WHERE seq = 4")
        #expect(
            try end.pool.read { try AuditTrail.verify($0) }.map(\.description) == [
                "entry 4: missing — entries 4 to 4 were written and are gone"
            ])
    }

    @Test("a re-hashed forgery still breaks the chain after it")
    func forged() throws {
        let mirror = try trail()
        // Changing entry 2 and recomputing its hash is not enough: entry 3 names the old one.
        let forged = try mirror.pool.read { db in try AuditTrail.entries(db).first { $0.seq == 2 }! }
        try tamper(mirror, "UPDATE audit SET patient = 999, hash = '\(String(repeating: "a", count: 64))' WHERE seq = \(forged.seq)")
        let found = try mirror.pool.read { try AuditTrail.verify($0) }.map(\.description)
        #expect(found.contains("entry 3: does not follow the entry before it (an entry before it was deleted or changed)"))
    }

    @Test("queued writes and their outcomes are recorded with the write, by kind and number")
    func writes() throws {
        let mirror = try trail()
        try mirror.pool.write { db in
            let now = LocalDateTime(year: 2026, month: 3, day: 4, hour: 9)
            let local = try Outbox.book(
                Outbox.Booking(doctor: 1, office: 10, examRoom: 1, patient: 100, scheduledTime: now, duration: 30), in: db, now: now)
            let entry = try #require(try Outbox.entries(db).first)
            try Outbox.mark(entry.seq, state: .conflict, message: "Dr. Patel already has someone at 9:00", in: db)
            _ = local
        }
        try mirror.pool.read { db in
            let writes = try AuditTrail.entries(db).filter { $0.event.hasPrefix("write.") }
            #expect(writes.map(\.event) == ["write.queued", "write.conflict"])
            #expect(writes.allSatisfy { $0.patient == 100 && $0.reference == "appointment.create #1" })
            #expect(!writes.contains { ($0.outcome ?? "").contains("Patel") }, "no contents in the trail")
            #expect(try AuditTrail.verify(db).isEmpty)
        }
    }
}

@Suite("The practice's people in the trail and the queue")
struct PeopleTrailTests {
    @Test(
        "a mirror opened for a person names them (and how they came) in every entry and queued write; the sync, another process, names the maker"
    )
    func personNamed() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("people-\(UUID().uuidString).sqlite").path
        // Entries from before people were named, in a mirror opened by no one in particular.
        let plain = try MirrorDatabase.open(at: path)
        try plain.pool.write { db in try AuditTrail.record(.init(.login), user: "frontdesk", in: db) }

        let maria = try MirrorDatabase.open(at: path, person: AuditTrail.Person(name: "maria", via: "key SHA256:abc from 10.0.0.5"))
        try maria.pool.write { db in
            try AuditTrail.record(.init(.chartOpen, patient: 100), user: "frontdesk", in: db)
            try Outbox.setStatus("Arrived", appointment: "1001", in: db, now: LocalDateTime(year: 2026, month: 3, day: 4, hour: 9))
        }
        // The daemon confirms it, in a process that works for no one in particular.
        try plain.pool.write { db in
            let entry = try #require(try Outbox.entries(db).first)
            #expect(entry.person == "maria")
            try Outbox.confirm(entry, in: db)
        }
        try plain.pool.read { db in
            #expect(try AuditTrail.verify(db).isEmpty, "old and new entries chain and verify")
            let entries = try AuditTrail.entries(db)
            #expect(entries.map(\.event) == ["login", "chart.open", "write.queued", "write.confirmed"])
            #expect(entries.map(\.person) == [nil, "maria", "maria", "maria"])
            #expect(entries[1].via == "key SHA256:abc from 10.0.0.5")
        }
        // The person is part of what the hash covers.
        try plain.pool.write { db in
            try db.execute(sql: "DROP TRIGGER audit_is_append_only_update")
            try db.execute(sql: "UPDATE audit SET person = 'someone-else' WHERE event = 'chart.open'")
        }
        #expect(try plain.pool.read { db in try AuditTrail.verify(db) }.count == 1)
    }
}
