import Foundation
import GRDB
import Mirror
import Testing

@Suite("One syncer per profile")
struct SyncLeaseTests {
    @Test("one holder at a time; when it stops renewing, another takes over once the lease runs out")
    func takeover() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("lease-\(UUID().uuidString).sqlite").path
        let mirror = try MirrorDatabase.open(at: path)
        let start = Date(timeIntervalSince1970: 1_000_000)
        try mirror.pool.write { db in
            #expect(try SyncLease.acquire(db, holder: "console-a", now: start))
            #expect(try !SyncLease.acquire(db, holder: "console-b", now: start.addingTimeInterval(1)))
            #expect(try SyncLease.acquire(db, holder: "console-a", now: start.addingTimeInterval(10)), "renewed")
            #expect(try !SyncLease.acquire(db, holder: "console-b", now: start.addingTimeInterval(20)), "still held after the renewal")
            // console-a dies: no renewal after t+10.
            #expect(try SyncLease.acquire(db, holder: "console-b", now: start.addingTimeInterval(10 + SyncLease.duration + 0.1)))
            #expect(
                try !SyncLease.acquire(db, holder: "console-a", now: start.addingTimeInterval(26)), "the old holder does not snatch it back"
            )
            try SyncLease.release(db, holder: "console-b")
            #expect(try SyncLease.acquire(db, holder: "console-a", now: start.addingTimeInterval(27)), "a clean exit frees it at once")
        }
    }
}
