import Foundation
import GRDB
import Mirror
import Testing

@Suite("The mirror's database")
struct MirrorDatabaseTests {
    func temporaryPath() -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("chronoterm-mirror-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory.appendingPathComponent("mirror.sqlite").path
    }

    @Test("opens in WAL mode, migrated, and keeps sync bookmarks across reopening")
    func bookmarksSurviveReopening() throws {
        let path = temporaryPath()
        do {
            let mirror = try MirrorDatabase.open(at: path)
            #expect(try mirror.journalMode() == "wal")
            try mirror.pool.write { db in
                try SyncBookmark(resource: "appointments", scope: "doctor:101", bookmark: "2026-03-04T10:29:00").insert(db)
            }
        }
        let reopened = try MirrorDatabase.open(at: path)
        let bookmark = try reopened.pool.read { db in try SyncBookmark.find(db, resource: "appointments", scope: "doctor:101") }
        #expect(bookmark?.bookmark == "2026-03-04T10:29:00")
        #expect(try reopened.pool.read { db in try SyncBookmark.find(db, resource: "patients", scope: "all") } == nil)
    }
}
