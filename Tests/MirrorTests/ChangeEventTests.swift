import DrChronoAPI
import Foundation
import GRDB
import Mirror
import Testing

@Suite("The change stream")
struct ChangeEventTests {
    func mirror() throws -> MirrorDatabase {
        try MirrorDatabase.open(
            at: FileManager.default.temporaryDirectory.appendingPathComponent("events-\(UUID().uuidString).sqlite").path)
    }

    func visit(_ id: String, status: String = "", notes: String = "") -> JSONObject {
        [
            "id": .string(id), "doctor": 101, "office": 1, "exam_room": 1, "patient": 7, "scheduled_time": "2026-03-04T09:00:00",
            "duration": 30, "status": .string(status), "notes": .string(notes), "updated_at": "2026-03-04T08:00:00",
        ]
    }

    func events(_ mirror: MirrorDatabase, types: [String] = []) throws -> [ChangeEvent] {
        try mirror.read { db in try EventLog.events(after: 0, types: types, limit: 1_000, in: db) }
    }

    @Test("a pass's new row, its check-in and its removal are three events in order; the same row again is none")
    func createUpdateDelete() throws {
        let mirror = try mirror()
        try mirror.write(.pass) { db in try MirrorWriter.store([visit("a1")], as: .appointments, in: db) }
        try mirror.write(.pass) { db in try MirrorWriter.store([visit("a1")], as: .appointments, in: db) }
        try mirror.write(.webhook) { db in try MirrorWriter.store([visit("a1", status: "Checked In")], as: .appointments, in: db) }
        try mirror.write(.pass) { db in try MirrorWriter.remove(ids: ["a1"], of: .appointments, in: db) }
        let stream = try events(mirror)
        #expect(stream.map(\.type) == ["appointment.created", "appointment.checked_in", "appointment.deleted"])
        #expect(stream.map(\.action) == [.create, .update, .delete])
        #expect(stream.map(\.origin) == [.pass, .webhook, .pass])
        #expect(stream.map(\.seq) == [1, 2, 3])
        #expect(stream[1].changed == ["status"])
        #expect(stream.allSatisfy { $0.subject == "a1" && $0.table == "appointments" })
        // The row after an update, the row before a delete: typed columns, no raw record.
        let after = try JSONValue.parse(Data(stream[1].row.utf8)).objectValue!
        #expect(after.string("status") == "Checked In")
        #expect(after["raw"] == nil)
        #expect(try JSONValue.parse(Data(stream[2].row.utf8)).objectValue?.string("status") == "Checked In")
    }

    @Test("a change rolled back leaves no event; a change whose origin is not named says unknown, a queued one names its person")
    func sameTransaction() throws {
        let mirror = try mirror()
        struct Refused: Error {}
        #expect(throws: Refused.self) {
            try mirror.write(.pass) { db in
                try MirrorWriter.store([visit("a1")], as: .appointments, in: db)
                throw Refused()
            }
        }
        #expect(try events(mirror).isEmpty)
        try mirror.pool.write { db in try MirrorWriter.store([visit("a2")], as: .appointments, in: db) }
        _ = try mirror.write(.queue, person: "maria") { db in
            try db.execute(sql: "UPDATE appointments SET notes = 'called back', pending = 1 WHERE id = 'a2'")
        }
        try mirror.pool.write { db in try MirrorWriter.store([visit("a3")], as: .appointments, in: db) }
        let stream = try events(mirror)
        #expect(stream.map(\.origin) == [.unknown, .queue, .unknown])
        #expect(stream[1].person == "maria")
        #expect(stream[1].changed == ["notes", "pending"])
    }

    @Test("a visit's id given by DrChrono is the local row deleted and DrChrono's created")
    func renamedKey() throws {
        let mirror = try mirror()
        try mirror.write(.queue) { db in try MirrorWriter.store([visit("-4")], as: .appointments, in: db) }
        _ = try mirror.write(.confirmation) { db in try db.execute(sql: "UPDATE appointments SET id = '9001' WHERE id = '-4'") }
        let stream = try events(mirror)
        #expect(stream.map(\.type) == ["appointment.created", "appointment.deleted", "appointment.created"])
        #expect(stream.map(\.subject) == ["-4", "-4", "9001"])
    }

    @Test("types pick out check-ins and signed notes; an entity picks all of its types")
    func typeFilter() throws {
        let mirror = try mirror()
        try mirror.write(.pass) { db in
            try MirrorWriter.store([visit("a1"), visit("a2")], as: .appointments, in: db)
            try MirrorWriter.store(
                [["id": 5, "appointment": "a1", "patient": 7, "updated_at": "2026-03-04T09:00:00"]], as: .clinicalNotes, in: db)
        }
        try mirror.write(.pass) { db in
            try MirrorWriter.store([visit("a1", status: "Arrived"), visit("a2", status: "Checked In")], as: .appointments, in: db)
            try MirrorWriter.store(
                [["id": 5, "appointment": "a1", "patient": 7, "updated_at": "2026-03-04T10:00:00", "signee": ["locked_by": "dr.house"]]],
                as: .clinicalNotes, in: db)
        }
        #expect(try events(mirror, types: ["appointment.checked_in"]).map(\.subject) == ["a2"])
        #expect(
            try events(mirror, types: ["appointment.arrived", "clinical_note.signed"]).map(\.type) == [
                "appointment.arrived", "clinical_note.signed",
            ])
        #expect(try events(mirror, types: ["appointment"]).count == 4)
        #expect(try events(mirror, types: ["clinical_note"]).map(\.type) == ["clinical_note.created", "clinical_note.signed"])
    }

    @Test("events past the retention time are dropped, and resuming below them is an error naming how many would be skipped")
    func retention() throws {
        let mirror = try mirror()
        try mirror.write(.pass) { db in try MirrorWriter.store([visit("a1"), visit("a2"), visit("a3")], as: .appointments, in: db) }
        try mirror.write(.pass) { db in try MirrorWriter.store([visit("a4")], as: .appointments, in: db) }
        // The first three are 40 days old.
        try mirror.pool.write { db in try db.execute(sql: "UPDATE events SET at = '2026-01-01T00:00:00.000Z' WHERE seq <= 3") }
        let dropped = try mirror.pool.write { db in try EventLog.prune(keepingDays: 30, in: db) }
        #expect(dropped == 3)
        #expect(try events(mirror).map(\.seq) == [4])
        try mirror.read { db in
            #expect(throws: EventLog.Gap.pruned(asked: 1, prunedThrough: 3)) { try EventLog.checkResume(after: 1, in: db) }
            #expect(throws: EventLog.Gap.ahead(asked: 9, newest: 4)) { try EventLog.checkResume(after: 9, in: db) }
            try EventLog.checkResume(after: 3, in: db)
            try EventLog.checkResume(after: 4, in: db)
        }
        #expect(EventLog.Gap.pruned(asked: 1, prunedThrough: 3).description.contains("would skip 2"))
        // Numbers are never given twice, even with the table emptied.
        try mirror.pool.write { db in try db.execute(sql: "UPDATE events SET at = '2026-01-01T00:00:00.000Z'") }
        try mirror.pool.write { db in _ = try EventLog.prune(keepingDays: 30, in: db) }
        try mirror.write(.pass) { db in try MirrorWriter.store([visit("a5")], as: .appointments, in: db) }
        #expect(try events(mirror, types: []).map(\.seq) == [5])
    }

    @Test("a mirror rebuilt for another practice is one event, not a delete per row")
    func rebuild() throws {
        let mirror = try mirror()
        let first = MirrorEpoch(server: "https://a", practiceGroup: "1", userId: "u", apiVersion: "v4")
        try mirror.pool.write { db in _ = try first.adopt(in: db) }
        try mirror.write(.pass) { db in try MirrorWriter.store([visit("a1"), visit("a2")], as: .appointments, in: db) }
        let other = MirrorEpoch(server: "https://a", practiceGroup: "2", userId: "u", apiVersion: "v4")
        #expect(try mirror.pool.write { db in try other.adopt(in: db) })
        let stream = try events(mirror)
        #expect(stream.map(\.type) == ["appointment.created", "appointment.created", "mirror.rebuilt"])
        #expect(stream.last?.action == .truncate)
    }

    @Test("values that do not read as their column's type leave as null")
    func typing() throws {
        let mirror = try mirror()
        var bad = visit("a1")
        bad["scheduled_time"] = "soon"
        try mirror.write(.pass) { db in try MirrorWriter.store([bad, visit("a2")], as: .appointments, in: db) }
        let table = ExportCatalog.table("appointments")!
        let page = try mirror.read { db in try Snapshot.page(of: table, in: db) }
        let time = table.columns.firstIndex { $0.name == "scheduled_time" }!
        let isBreak = table.columns.firstIndex { $0.name == "is_break" }!
        #expect(page.rows.map { $0[time] } == [.null, .text("2026-03-04T09:00:00")])
        #expect(page.rows[0][isBreak] == .boolean(false))
        #expect(page.next == nil)
    }

    @Test("a mirror rebuilt from a damaged file goes on with the same stream, after its last number, from a rebuilt event")
    func rescueCarriesTheStream() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("events-\(UUID().uuidString).sqlite").path
        let (source, newest): (String, Int64) = try {
            let mirror = try MirrorDatabase.open(at: path)
            try mirror.write(.pass) { db in try MirrorWriter.store([visit("a1"), visit("a2")], as: .appointments, in: db) }
            return try mirror.read { db in (try EventLog.source(in: db), try EventLog.position(in: db).newest) }
        }()
        #expect(newest == 2)
        let report = try MirrorRescue.rebuild(path)
        #expect(report.unreadable.isEmpty, "\(report.unreadable)")
        let rebuilt = try MirrorDatabase.open(at: path)
        let (kept, position, after) = try rebuilt.read { db in
            (try EventLog.source(in: db), try EventLog.position(in: db), try EventLog.events(after: 2, limit: 10, in: db).map(\.type))
        }
        #expect(kept == source)
        #expect(position == EventLog.Position(newest: 3, prunedThrough: 2))
        #expect(after == ["mirror.rebuilt"])
        try rebuilt.read { db in
            #expect(throws: EventLog.Gap.pruned(asked: 1, prunedThrough: 2)) { try EventLog.checkResume(after: 1, in: db) }
        }
        // A copy deleted and made again is another stream.
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        let remade = try MirrorDatabase.open(at: path)
        let other = try remade.read { db in try EventLog.source(in: db) }
        #expect(other != source)
    }
}
