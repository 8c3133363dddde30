import DrChronoAPI
import Foundation
import GRDB
import Mirror

extension PracticeFixture {
    /// The fixture practice with the hardest names a practice sends: a very long surname,
    /// letters built from combining marks, wide (CJK) characters, a right-to-left name,
    /// and a long doctor's and office's name. Same ids, visits and charges as the plain one,
    /// so the same keys drive it; only what is drawn is harder.
    public static func hardestNames() throws -> PracticeFixture {
        let fixture = try PracticeFixture()
        try fixture.mirror.pool.write { db in
            try rename(
                .patients, in: db,
                [
                    100: ["first_name": "María-Fernanda", "last_name": "Wolfeschlegelsteinhausenbergerdorff López"],
                    // "Zoë" and "Nguyễn" spelled with combining marks, as some systems send them.
                    101: ["first_name": "Zoe\u{0308}", "last_name": "O'Brien-Nguye\u{0302}\u{0303}n"],
                    103: ["first_name": "伟", "last_name": "欧阳娜娜"],
                    104: ["first_name": "نور", "last_name": "الهدى"],
                ])
            try rename(.doctors, in: db, [2: ["first_name": "Samuel", "last_name": "Okonkwo-Abernathy-Wolfenden"]])
            try rename(.offices, in: db, [10: ["name": "Northgate Health Center at Harbor Point"]])
        }
        return fixture
    }

    /// Lays `fields` over the stored rows of `resource`, by id, and stores them again.
    private static func rename(_ resource: MirrorResource, in db: Database, _ fields: [Int: [String: String]]) throws {
        let rows = try String.fetchAll(db, sql: "SELECT raw FROM \(resource.table)").compactMap { raw in
            (try? JSONValue.parse(Data(raw.utf8)))?.objectValue
        }
        let renamed = rows.compactMap { row -> JSONObject? in
            guard let id = row.int("id"), let changes = fields[id] else { return nil }
            var row = row
            for (key, value) in changes { row[key] = .string(value) }
            // Stored again as a newer version of the same row.
            row["updated_at"] = "2026-03-04T08:59:00"
            return row
        }
        try MirrorWriter.store(renamed, as: resource, in: db)
    }
}
