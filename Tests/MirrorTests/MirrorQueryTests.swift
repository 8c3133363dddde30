import Foundation
import GRDB
import Mirror
import Testing

@Suite("The screens' queries")
struct MirrorQueryTests {
    func mirror() throws -> MirrorDatabase {
        let mirror = try MirrorDatabase.open(
            at: FileManager.default.temporaryDirectory.appendingPathComponent("queries-\(UUID().uuidString).sqlite").path)
        try mirror.pool.write { db in
            try MirrorWriter.store(
                [
                    [
                        "id": 1, "first_name": "María", "last_name": "López", "chart_id": "LOMA000001", "date_of_birth": "1990-05-17",
                        "cell_phone": "(555) 010-1234",
                    ],
                    ["id": 2, "first_name": "Zoë", "last_name": "O'Brien-Núñez", "chart_id": "OBZO000002", "date_of_birth": "1985-11-02"],
                    ["id": 3, "first_name": "Mario", "last_name": "Lopes", "chart_id": "LOMA000003", "home_phone": "555-020-9876"],
                    ["id": 4, "first_name": "李", "last_name": "明", "chart_id": "PTNT000004"],
                    ["id": "five", "first_name": "No id"],
                ], as: .patients, in: db)
            try MirrorWriter.store(
                [
                    [
                        "id": "a1", "doctor": 101, "office": 1, "exam_room": 1, "patient": 1, "scheduled_time": "2026-03-04T09:00:00",
                        "duration": 30, "status": "Arrived",
                    ],
                    [
                        "id": "a2", "doctor": 101, "office": 1, "exam_room": 2, "patient": 2, "scheduled_time": "2026-03-04T08:30:00",
                        "duration": 15,
                    ],
                    [
                        "id": "a3", "doctor": 102, "office": 1, "exam_room": 1, "patient": 3, "scheduled_time": "2026-03-04T10:00:00",
                        "duration": 30, "deleted_flag": true,
                    ],
                    [
                        "id": "a4", "doctor": 102, "office": 1, "exam_room": 1, "scheduled_time": "2026-03-05T12:00:00", "duration": 60,
                        "appt_is_break": true,
                    ],
                ], as: .appointments, in: db)
            try MirrorWriter.store(
                [["id": 9, "appointment": "a1", "code": "99213", "procedure_type": "C", "price": "110.00"]], as: .lineItems, in: db)
        }
        return mirror
    }

    func search(_ mirror: MirrorDatabase, _ typed: String) throws -> [Int] {
        try mirror.pool.read { db in try MirrorQueries.searchPatients(db, typed).map(\.id) }
    }

    @Test("names in either order, accents and case folded, punctuation ignored")
    func names() throws {
        let mirror = try mirror()
        #expect(try search(mirror, "maria") == [1])
        #expect(try search(mirror, "MARÍA LÓ") == [1])
        #expect(try search(mirror, "lopez m") == [1])
        #expect(Set(try search(mirror, "lop")) == [1, 3])
        #expect(try search(mirror, "obrien") == [2])
        #expect(try search(mirror, "zoe o") == [2])
        #expect(try search(mirror, "明") == [4])
        #expect(try search(mirror, "nobody").isEmpty)
        #expect(try search(mirror, "   ").isEmpty)
    }

    @Test("a surname of several words is found by any of them: nunez, nunez zoe and zoe nunez find O'Brien-Núñez")
    func compoundSurnames() throws {
        let mirror = try mirror()
        #expect(try search(mirror, "nunez") == [2])
        #expect(try search(mirror, "nunez zoe") == [2])
        #expect(try search(mirror, "zoe nunez") == [2])
        #expect(try search(mirror, "zoe obrien nu") == [2])
        #expect(try search(mirror, "zoe z").isEmpty, "the given name is not a surname")
    }

    @Test("letters that do not decompose fold as a US keyboard types them: lukasz finds Łukasz, soren Søren, strasse Straße")
    func lettersWithoutMarks() throws {
        let mirror = try mirror()
        try mirror.pool.write { db in
            try MirrorWriter.store(
                [
                    ["id": 11, "first_name": "Łukasz", "last_name": "Żółć", "chart_id": "ZOLU000011"],
                    ["id": 12, "first_name": "Søren", "last_name": "Kierkegaard", "chart_id": "KISO000012"],
                    ["id": 13, "first_name": "Æsa", "last_name": "Straße", "chart_id": "STAE000013"],
                    ["id": 14, "first_name": "Đorđe", "last_name": "Þórsson", "chart_id": "THDO000014"],
                    ["id": 15, "first_name": "Iıl", "last_name": "Œuvre", "chart_id": "OEIL000015"],
                ], as: .patients, in: db)
        }
        let found: [(String, Int)] = [
            ("lukasz", 11), ("zolc lu", 11), ("ŁUKASZ", 11), ("soren", 12), ("Søren", 12), ("aesa", 13), ("strasse", 13), ("dorde", 14),
            ("thorsson", 14), ("iil", 15), ("oeuvre", 15),
        ]
        for (typed, patient) in found { #expect(try search(mirror, typed) == [patient], "\(typed)") }
    }

    @Test("chart id, birth date as ISO or US, phone by its digits")
    func otherKeys() throws {
        let mirror = try mirror()
        #expect(Set(try search(mirror, "loma")) == [1, 3])
        #expect(try search(mirror, "LOMA000003") == [3])
        #expect(try search(mirror, "1990-05") == [1])
        #expect(try search(mirror, "5/17/1990") == [1])
        #expect(try search(mirror, "11/02/1985") == [2])
        #expect(try search(mirror, "(555) 020") == [3])
        #expect(try search(mirror, "5550101234") == [1])
    }

    @Test("a day for the practice or a doctor, and a week; deleted ones left out; breaks kept")
    func schedules() throws {
        let mirror = try mirror()
        try mirror.pool.read { db in
            #expect(try MirrorQueries.daySchedule(db, day: "2026-03-04").map(\.id) == ["a2", "a1"])
            #expect(try MirrorQueries.daySchedule(db, day: "2026-03-04", doctor: 102).isEmpty)
            let week = try MirrorQueries.schedule(db, from: "2026-03-02", to: "2026-03-08")
            #expect(week.map(\.id) == ["a2", "a1", "a4"] && week.last?.isBreak == true)
            #expect(try MirrorQueries.appointment(db, id: "a3")?.deleted == true)
            #expect(try MirrorQueries.lineItems(db, appointment: "a1").map(\.priceCents) == [11000])
        }
    }

    @Test("each query reads through an index, never a scan of the table")
    func usesIndexes() throws {
        let mirror = try mirror()
        try mirror.pool.read { db in
            for sql in [
                "SELECT id FROM appointments WHERE day = '2026-03-04' AND doctor_id = 101 AND deleted = 0 ORDER BY scheduled_time",
                "SELECT id FROM appointments WHERE day = '2026-03-04' AND office_id = 1 AND exam_room = 2 AND deleted = 0 ORDER BY scheduled_time",
                "SELECT patient_id FROM patient_search WHERE key >= 'lop' AND key < 'lop\u{10FFFF}' ORDER BY key LIMIT 50",
                "SELECT raw FROM line_items WHERE appointment_id = 'a1' ORDER BY id",
                "SELECT raw FROM clinical_notes WHERE patient_id = 1 ORDER BY id DESC",
            ] {
                let plan = try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql).map { $0["detail"] as String? ?? "" }.joined(
                    separator: "; ")
                #expect(
                    plan.contains("USING") && !plan.contains("SCAN appointments") && !plan.contains("SCAN patient_search"),
                    "\(sql): \(plan)")
            }
            // A page of a whole day in time order reads it in order: no sort of the day first.
            let page = try Row.fetchAll(
                db,
                sql:
                    "EXPLAIN QUERY PLAN SELECT id FROM appointments WHERE day = '2026-03-04' AND deleted = 0 ORDER BY scheduled_time, doctor_id, id LIMIT 100 OFFSET 0"
            ).map { $0["detail"] as String? ?? "" }.joined(separator: "; ")
            #expect(page.contains("appointments_by_day_time") && !page.contains("TEMP B-TREE"), "\(page)")
        }
    }
}
