import DrChronoAPI
import Foundation
import GRDB

/// Exactly once across handovers. A write is sent only by the process that holds the
/// profile's sync lease, under a claim it made in the same transaction that checked the
/// lease; everything it later records about that write (confirmed, refused, unknown)
/// is recorded only while the claim is still its own. A request that may still be at
/// DrChrono — its sender lapsed or was killed mid-flight — is not looked up, and so not
/// sent again, until the transport's timeout has surely passed.
extension Outbox {
    /// What came of asking to send an entry.
    public enum Claim: Sendable, Equatable {
        /// This push may send it; `entry` is as stored now, `previous` its state before.
        case claimed(Entry, previous: OutboxState, token: String)
        /// It left the outbox meanwhile (another holder confirmed it).
        case gone
        /// A request for it may still be at DrChrono until then: look nothing up before.
        case inFlight(until: Date)
        /// This process no longer holds the sync lease: it sends nothing more.
        case leaseLost
    }

    /// Claims entry `seq` for a send by `holder` (nil: a process that pushes alone, as
    /// tests do), until `now + inFlight` at the latest.
    public static func claim(
        _ seq: Int64, holder: String?, now: Date, inFlight: TimeInterval, in db: Database
    ) throws -> Claim {
        if let holder, try !SyncLease.isHeld(db, by: holder, now: now) { return .leaseLost }
        guard let row = try Row.fetchOne(db, sql: "SELECT state, in_flight_until FROM outbox WHERE seq = ?", arguments: [seq]),
            let state = row["state"] as OutboxState?
        else { return .gone }
        if state == .sending, let until = row["in_flight_until"] as Double?, until > now.timeIntervalSince1970 {
            return .inFlight(until: Date(timeIntervalSince1970: until))
        }
        let token = (holder ?? "alone") + "#" + UUID().uuidString.prefix(8)
        try db.execute(
            sql: "UPDATE outbox SET state = ?, sent_by = ?, in_flight_until = ?, attempts = attempts + 1 WHERE seq = ?",
            arguments: [OutboxState.sending, token, now.timeIntervalSince1970 + inFlight, seq])
        guard let entry = try entries(db, seq: seq) else { return .gone }
        return .claimed(entry, previous: state, token: token)
    }

    /// Right before a request for a claimed entry leaves: answers whether it may (the
    /// claim and the lease still this process's), and if so moves the time until which
    /// it may be at DrChrono to `now + inFlight` (a wait for the budget came first).
    public static func stamp(
        _ seq: Int64, token: String, holder: String?, now: Date, inFlight: TimeInterval, in db: Database
    ) throws -> Bool {
        if let holder, try !SyncLease.isHeld(db, by: holder, now: now) { return false }
        guard try isClaimed(seq, by: token, in: db) else { return false }
        try db.execute(
            sql: "UPDATE outbox SET in_flight_until = ? WHERE seq = ?", arguments: [now.timeIntervalSince1970 + inFlight, seq])
        return true
    }

    /// Whether entry `seq` is still in the outbox under `token`'s claim.
    public static func isClaimed(_ seq: Int64, by token: String, in db: Database) throws -> Bool {
        try String.fetchOne(db, sql: "SELECT sent_by FROM outbox WHERE seq = ?", arguments: [seq]) == token
    }

    /// A claim given back unused (the lease was lost before anything left): the entry
    /// is as it was, for the new holder to send without waiting.
    public static func release(_ seq: Int64, token: String, to state: OutboxState, in db: Database) throws {
        try db.execute(
            sql: "UPDATE outbox SET state = ?, sent_by = NULL, in_flight_until = NULL WHERE seq = ? AND sent_by = ?",
            arguments: [state, seq, token])
    }

    /// Entry `seq` as stored now (one row read, not the whole queue).
    static func entries(_ db: Database, seq: Int64) throws -> Entry? {
        try Row.fetchOne(db, sql: "SELECT * FROM outbox WHERE seq = ?", arguments: [seq]).flatMap(entry(from:))
    }

    /// A stored row as an entry; nil for a kind this chronoterm does not know.
    static func entry(from row: Row) -> Entry? {
        guard let target = row["entity"] as WriteTarget?, let kind = row["kind"] as WriteKind?, let state = row["state"] as OutboxState?
        else { return nil }
        return Entry(
            seq: row["seq"], target: target,
            write: QueuedWrite(kind: kind, stored: (try? JSONValue.parse(Data((row["payload"] as String).utf8)))?.objectValue ?? [:]),
            marker: row["marker"], state: state, message: row["message"], attempts: row["attempts"], person: row["person"])
    }
}

extension MirrorSchema {
    /// Who last claimed each queued write for a send, and until when its request may be
    /// at DrChrono.
    static func registerSendFence(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v19 send fence") { db in
            try db.execute(
                sql: """
                    ALTER TABLE outbox ADD COLUMN sent_by TEXT;
                    ALTER TABLE outbox ADD COLUMN in_flight_until REAL;
                    """)
        }
    }

    /// Search keys made again: letters that do not decompose (ł, ø, æ, ß…) now fold to
    /// what a US keyboard types, so existing patients are found by them too.
    static func registerWiderFolding(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v20 wider folding") { db in
            let rows = try Row.fetchAll(db, sql: "SELECT raw FROM patients")
            try db.execute(sql: "DELETE FROM patient_search")
            for row in rows {
                guard let json = try? JSONValue.parse(Data((row["raw"] as String).utf8)).objectValue, let patient = Patient(json: json)
                else { continue }
                for key in SearchKey.keys(for: patient) {
                    try db.execute(sql: "INSERT OR IGNORE INTO patient_search VALUES (?, ?)", arguments: [key, patient.id])
                }
            }
        }
    }
}
