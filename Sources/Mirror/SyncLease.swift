import Foundation
import GRDB

/// Which process syncs a profile. Several consoles may open one mirror; one holds the
/// lease and syncs, renewing it every ``renewEvery`` seconds. If it dies, another takes
/// it over at its next look (every ``checkEvery`` seconds): at once when the holder was a
/// process of this machine, else once the lease runs out, within ``duration``.
///
/// Each renewal is a commit to the mirror, and every console on the profile wakes for a
/// commit to look for news: renewing seldom is what lets 25 idle consoles stay idle.
public enum SyncLease {
    public static let duration: TimeInterval = 45
    /// How often the holder writes its lease again (asking more often writes nothing).
    public static let renewEvery: TimeInterval = 15
    /// How often a process standing by looks whether the lease is free.
    public static let checkEvery: TimeInterval = 5

    /// Takes or renews the lease for `holder`; answers whether `holder` has it.
    public static func acquire(_ db: Database, holder: String, now: Date, duration: TimeInterval = SyncLease.duration) throws -> Bool {
        try db.execute(
            sql:
                "CREATE TABLE IF NOT EXISTS sync_lease (id INTEGER PRIMARY KEY CHECK (id = 1), holder TEXT NOT NULL, expires_at REAL NOT NULL)"
        )
        // A holder on this machine whose process is gone (killed, crashed) held it last:
        // the lease is free now, not in 15 s.
        if let current = try String.fetchOne(db, sql: "SELECT holder FROM sync_lease WHERE id = 1"), current != holder, isGone(current) {
            try db.execute(sql: "DELETE FROM sync_lease WHERE holder = ?", arguments: [current])
        }
        // Renewed lately: held, and nothing written (a write would wake every console).
        if let row = try Row.fetchOne(db, sql: "SELECT holder, expires_at FROM sync_lease WHERE id = 1"), (row[0] as String) == holder,
            (row[1] as Double) <= now.timeIntervalSince1970 + duration, (row[1] as Double) >= renewalDue(now: now, duration: duration)
        {
            return true
        }
        try db.execute(
            sql: """
                INSERT INTO sync_lease (id, holder, expires_at) VALUES (1, ?, ?)
                ON CONFLICT(id) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
                WHERE sync_lease.holder = excluded.holder OR sync_lease.expires_at < ?
                """, arguments: [holder, now.timeIntervalSince1970 + duration, now.timeIntervalSince1970])
        return try String.fetchOne(db, sql: "SELECT holder FROM sync_lease WHERE id = 1") == holder
    }

    /// Renews the lease if `holder` still holds it and last renewed it ``renewEvery``
    /// seconds ago or more; takes nothing from another.
    public static func renew(_ db: Database, holder: String, now: Date, duration: TimeInterval = SyncLease.duration) throws {
        guard try db.tableExists("sync_lease") else { return }
        try db.execute(
            sql: "UPDATE sync_lease SET expires_at = ? WHERE id = 1 AND holder = ? AND expires_at >= ? AND expires_at < ?",
            arguments: [
                now.timeIntervalSince1970 + duration, holder, now.timeIntervalSince1970, renewalDue(now: now, duration: duration),
            ])
    }

    /// A lease that runs out before this moment was last renewed ``renewEvery`` seconds ago
    /// or more (a third of `duration`, for a shorter lease): it is written again.
    static func renewalDue(now: Date, duration: TimeInterval) -> TimeInterval {
        now.timeIntervalSince1970 + duration - min(renewEvery, duration / 3)
    }

    /// Whether `holder` holds the lease now (a look: nothing is taken or renewed).
    public static func isHeld(_ db: Database, by holder: String, now: Date) throws -> Bool {
        guard try db.tableExists("sync_lease") else { return false }
        return try Row.fetchOne(db, sql: "SELECT holder, expires_at FROM sync_lease WHERE id = 1").map { row in
            (row["holder"] as String) == holder && (row["expires_at"] as Double) >= now.timeIntervalSince1970
        } ?? false
    }

    /// Whether another holder has the lease now and cannot lose it at this look: not run
    /// out, and not a process of this machine that is gone.
    public static func isHeldByAnother(_ db: Database, than holder: String, now: Date) throws -> Bool {
        guard try db.tableExists("sync_lease"),
            let row = try Row.fetchOne(db, sql: "SELECT holder, expires_at FROM sync_lease WHERE id = 1")
        else { return false }
        let current: String = row[0]
        return current != holder && (row[1] as Double) >= now.timeIntervalSince1970 && !isGone(current)
    }

    /// Gives the lease up (a clean exit), so another can take it at once.
    public static func release(_ db: Database, holder: String) throws {
        try db.execute(
            sql:
                "CREATE TABLE IF NOT EXISTS sync_lease (id INTEGER PRIMARY KEY CHECK (id = 1), holder TEXT NOT NULL, expires_at REAL NOT NULL)"
        )
        try db.execute(sql: "DELETE FROM sync_lease WHERE holder = ?", arguments: [holder])
    }

    /// This machine's name, looked up once (it may ask the resolver).
    static let host = ProcessInfo.processInfo.hostName

    /// Whether `holder` names a process of this machine that no longer runs.
    static func isGone(_ holder: String) -> Bool {
        let parts = holder.split(separator: ":")
        guard parts.count == 3, String(parts[0]) == host, let pid = pid_t(parts[1]) else { return false }
        return kill(pid, 0) != 0 && errno == ESRCH
    }

    /// A holder name for this process: host, process id and a random part.
    public static func newHolder() -> String {
        "\(host):\(getpid()):\(UUID().uuidString.prefix(8))"
    }
}
