import Foundation
import GRDB
import Mirror
import Testing

@Suite("The mirror's epoch and change notices")
struct MirrorEpochTests {
    func mirror() throws -> MirrorDatabase {
        try MirrorDatabase.open(at: FileManager.default.temporaryDirectory.appendingPathComponent("epoch-\(UUID().uuidString).sqlite").path)
    }

    @Test("a different practice, user or API version empties the mirror; the same one keeps it")
    func rebuild() throws {
        let mirror = try mirror()
        let first = MirrorEpoch(server: "https://app.drchrono.com", practiceGroup: "7", userId: "1", apiVersion: "v4")
        try mirror.pool.write { db in
            #expect(try !first.adopt(in: db))
            try MirrorWriter.store([["id": 10001, "first_name": "Ana", "last_name": "Díaz"]], as: .patients, in: db)
            try SyncBookmark(resource: "patients", scope: "all", bookmark: "2026-03-04T10:00:00").insert(db)
            #expect(try !first.adopt(in: db), "the same epoch keeps the data")
            #expect(try MirrorQueries.count(db, .patients) == 1)
            var other = first
            other.practiceGroup = "8"
            #expect(try other.adopt(in: db), "another practice: rebuilt")
            #expect(try MirrorQueries.count(db, .patients) == 0)
            #expect(try SyncBookmark.find(db, resource: "patients", scope: "all") == nil, "and loaded afresh")
            #expect(try MirrorQueries.searchPatients(db, "ana").isEmpty)
        }
    }

    @Test("a reader is told which tables each commit changed, without polling")
    func changeNotices() async throws {
        let mirror = try mirror()
        let changes = MirrorChanges.observe(mirror)
        var iterator = changes.commits.makeAsyncIterator()
        try await mirror.pool.write { db in
            try MirrorWriter.store(
                [["id": "1000001", "doctor": 101, "scheduled_time": "2026-03-04T09:00:00", "duration": 15]], as: .appointments, in: db)
        }
        #expect(await iterator.next() == ["appointments"])
        try await mirror.pool.write { db in
            try MirrorWriter.store([["id": 10002, "first_name": "Bo", "last_name": "Lee"]], as: .patients, in: db)
            try SyncBookmark(resource: "patients", scope: "all", bookmark: "2026-03-04T10:00:00").insert(db)
        }
        // patient_search is WITHOUT ROWID, which SQLite's update hook does not report; it
        // only ever changes with patients.
        #expect(await iterator.next() == ["patients"], "bookkeeping is not news")
    }
}
