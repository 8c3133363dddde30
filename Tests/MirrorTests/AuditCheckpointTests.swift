import DrChronoAPI
import Foundation
import GRDB
import Mirror
import Testing

@Suite("The audit checkpoint: moved with the trail, sealed with the profile's key")
struct AuditCheckpointTests {
    let seal = AuditSeal(secret: "the application's secret")

    /// A profile folder with a mirror whose checkpoint follows the trail: a login and
    /// then `entries` more.
    func profile(entries: Int) throws -> (ProfileDirectory, MirrorDatabase) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("audit-profile-\(UUID().uuidString)")
        let directory = ProfileDirectory(name: "desk", root: root)
        try directory.prepare()
        let mirror = try MirrorDatabase.open(in: directory)
        mirror.keepAuditCheckpoint(in: directory, seal: seal)
        try mirror.pool.write { db in try AuditTrail.record(.init(.login), user: "frontdesk", in: db) }
        for n in 0..<entries {
            try mirror.pool.write { db in try AuditTrail.record(.init(.chartOpen, patient: 100 + n), user: "frontdesk", in: db) }
        }
        return (directory, mirror)
    }

    func breaks(_ mirror: MirrorDatabase, _ directory: ProfileDirectory, seal: AuditSeal? = nil) throws -> [AuditTrail.Break] {
        try mirror.pool.read { db in
            try AuditTrail.verify(db) + AuditCheckpoint.breaks(db, in: directory, loggedIn: true, seal: seal ?? self.seal)
        }
    }

    /// What someone with the file and sqlite3 could do: drop the guard, delete the
    /// entries after the fourth, and rewind the numbering so the next entry is 5 again.
    func deleteNewest(_ mirror: MirrorDatabase) throws {
        try mirror.pool.write { db in
            try db.execute(sql: "DROP TRIGGER audit_is_append_only_delete")
            try db.execute(sql: "DELETE FROM audit WHERE seq > 4")
            try db.execute(sql: "UPDATE sqlite_sequence SET seq = 4 WHERE name = 'audit'")
        }
    }

    @Test("each entry moves the checkpoint on, sealed; the trail verifies")
    func follows() throws {
        let (directory, mirror) = try profile(entries: 6)
        let checkpoint = try #require(AuditCheckpoint.load(from: directory))
        #expect(checkpoint.seq == 7 && checkpoint.seal != nil)
        #expect(try breaks(mirror, directory).isEmpty)
        #expect(try breaks(mirror, directory, seal: AuditSeal(secret: "another")).count == 1, "another key does not verify it")
    }

    @Test("the newest three deleted, the trigger dropped and the numbering rewound: verify says three entries are gone")
    func newestDeleted() throws {
        let (directory, mirror) = try profile(entries: 6)
        try deleteNewest(mirror)
        #expect(try mirror.pool.read { db in try AuditTrail.verify(db) }.isEmpty, "the chain alone cannot see it")
        let found = try breaks(mirror, directory)
        #expect(
            found.map(\.problem).contains { $0.contains("3 entries are gone from the end") && $0.contains("now ends at 4") }, "\(found)")
        // A new entry after the deletion does not paper over it.
        try mirror.pool.write { db in try AuditTrail.record(.init(.chartOpen, patient: 1), user: "frontdesk", in: db) }
        #expect(!(try breaks(mirror, directory)).isEmpty)
    }

    @Test("a checkpoint written by hand (no seal, or a wrong one) is refused, and the keeper does not write over it")
    func forgedCheckpoint() throws {
        let (directory, mirror) = try profile(entries: 6)
        try deleteNewest(mirror)
        var forged = try #require(AuditCheckpoint.load(from: directory))
        forged.seq = 4
        forged.hash = try #require(try mirror.pool.read { db in try String.fetchOne(db, sql: "SELECT hash FROM audit WHERE seq = 4") })
        for seal in [nil, "AAAA"] as [String?] {
            forged.seal = seal
            try directory.writeDurably(try JSONEncoder().encode(forged), to: "audit.checkpoint")
            let found = try breaks(mirror, directory)
            #expect(found.contains { $0.problem.contains("not sealed with this profile's key") }, "\(found)")
        }
        try mirror.pool.write { db in try AuditTrail.record(.init(.chartOpen, patient: 1), user: "frontdesk", in: db) }
        #expect(AuditCheckpoint.load(from: directory)?.seal == "AAAA", "the keeper left the forgery for verify to report")
        // Unsealed, too: a forgery the keeper sealed at the cut-down tail would hide the deletion.
        forged.seal = nil
        try directory.writeDurably(try JSONEncoder().encode(forged), to: "audit.checkpoint")
        try mirror.pool.write { db in try AuditTrail.record(.init(.chartOpen, patient: 2), user: "frontdesk", in: db) }
        let unsealed = AuditCheckpoint.load(from: directory)
        #expect(unsealed?.seal == nil && unsealed?.seq == 4, "the keeper left it")
        #expect(!(try breaks(mirror, directory)).isEmpty)
    }

    @Test("the mirror and its checkpoint deleted together, then one action: the new trail says it started over")
    func startsOver() throws {
        let (directory, mirror) = try profile(entries: 2)
        _ = mirror
        for name in ["mirror.sqlite", "mirror.sqlite-wal", "mirror.sqlite-shm", "audit.checkpoint"] {
            try? FileManager.default.removeItem(at: directory.file(name))
        }
        let fresh = try MirrorDatabase.open(in: directory)
        try fresh.pool.write { db in try AuditTrail.record(.init(.chartOpen, patient: 100), user: "frontdesk", in: db) }
        let found = try fresh.pool.read { db in try AuditCheckpoint.breaks(db, in: directory, loggedIn: true, seal: seal) }
        #expect(found.first?.problem.contains("starts over") == true, "\(found)")
    }
}
