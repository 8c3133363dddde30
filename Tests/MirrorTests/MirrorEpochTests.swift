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

    @Test("a console hears of a commit made by another connection, once, and of nothing else")
    func changeNotices() async throws {
        let mirror = try mirror()
        let watch = try MirrorWatch(mirror)
        #expect(!watch.changed(), "nothing committed yet")
        let elsewhere = try MirrorDatabase.open(at: mirror.path)  // as another chronoterm would
        try await elsewhere.pool.write { db in
            try MirrorWriter.store(
                [["id": "1000001", "doctor": 101, "scheduled_time": "2026-03-04T09:00:00", "duration": 15]], as: .appointments, in: db)
        }
        #expect(watch.changed(), "a commit elsewhere is news")
        #expect(!watch.changed(), "and is told once")
        _ = try await mirror.pool.read { db in try MirrorQueries.count(db, .appointments) }
        #expect(!watch.changed(), "a read is not news")
    }
}
