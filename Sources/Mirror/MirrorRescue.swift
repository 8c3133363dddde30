import DrChronoAPI
import Foundation
import GRDB

/// Rebuilds a damaged mirror without losing what only it holds: the queued writes (and
/// the files of queued uploads) and the audit trail.
///
/// Everything else in the mirror is a copy of DrChrono and is loaded again by the next
/// sync. The damaged file is moved aside, never deleted, with its `-wal` (which may hold
/// the latest committed writes), so nothing is lost even if a table cannot be read.
public enum MirrorRescue {
    /// The tables only the mirror holds, in the order they are carried over.
    static let keptTables = ["mirror_identity", "outbox", "outbox_files", "outbox_renames", "audit"]

    public struct Report: Sendable, Equatable {
        /// Where the damaged file now is (nil: there was none).
        public var setAside: String?
        /// Rows carried over per table.
        public var carried: [String: Int] = [:]
        /// Tables that could not be read from the damaged file, with SQLite's reason.
        public var unreadable: [String: String] = [:]

        /// One paragraph for the person who asked.
        public var summary: String {
            guard let setAside else { return "There was no local copy to rebuild; a new one is loaded." }
            let writes = carried["outbox"] ?? 0
            let audit = carried["audit"] ?? 0
            var text =
                "The damaged local copy is kept as \(setAside). Carried over: \(writes) queued \(writes == 1 ? "write" : "writes") "
                + "and \(audit) audit \(audit == 1 ? "entry" : "entries"); the practice is loaded again."
            if !unreadable.isEmpty {
                text +=
                    " Could not be read from the damaged copy: "
                    + unreadable.keys.sorted().map { "\($0) (\(unreadable[$0]!))" }.joined(separator: ", ")
                    + ". Keep the damaged file: it may still be recovered with sqlite3's .recover."
            }
            return text
        }
    }

    /// Moves the mirror at `path` aside, makes a new one and carries the kept tables over.
    public static func rebuild(_ path: String, now: Date = Date()) throws -> Report {
        var report = Report()
        guard FileManager.default.fileExists(atPath: path) else { return report }
        let local = Calendar.current.dateComponents([.year, .month, .day, .hour, .minute, .second], from: now)
        let stamp = String(
            format: "%04d%02d%02d-%02d%02d%02d", local.year ?? 0, local.month ?? 0, local.day ?? 0, local.hour ?? 0, local.minute ?? 0,
            local.second ?? 0)
        let aside = path.replacingOccurrences(of: ".sqlite", with: "") + ".damaged-\(stamp).sqlite"
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
            guard rename(path + suffix, aside + suffix) == 0 else {
                throw MirrorProblem(.other("could not be moved aside: \(String(cString: strerror(errno)))"), path: path + suffix)
            }
        }
        report.setAside = aside
        let fresh = try MirrorDatabase.open(at: path)
        // Opened as it is, with the -wal moved beside it: its last commits are read too.
        guard let damaged = try? DatabaseQueue(path: aside) else {
            report.unreadable["all tables"] = "not a database"
            return report
        }
        for table in keptTables {
            do {
                let rows = try damaged.read { db in try Row.fetchAll(db, sql: "SELECT * FROM \(table)") }
                try fresh.pool.write { db in
                    // The new mirror's own identity gives way to the old one: the trail's
                    // checkpoint names the mirror the trail lives in.
                    if table == "mirror_identity" { try db.execute(sql: "DELETE FROM mirror_identity") }
                    for row in rows {
                        let columns = Array(row.columnNames)
                        let marks = databaseQuestionMarks(count: columns.count)
                        try db.execute(
                            sql: "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES (\(marks))",
                            arguments: StatementArguments(columns.map { row[$0] as DatabaseValue }))
                    }
                }
                report.carried[table] = rows.count
            } catch {
                report.unreadable[table] = (error as? DatabaseError)?.message ?? "\(error)"
            }
        }
        // The change stream goes on where the damaged copy's stopped (unreadable: a new
        // stream, which a warehouse or consumer is told is another's).
        do {
            try damaged.read { old in try fresh.pool.write { db in try EventLog.carryOver(from: old, in: db) } }
        } catch {
            report.unreadable["events"] = (error as? DatabaseError)?.message ?? "\(error)"
        }
        let carried = report.carried
        try? fresh.pool.write { db in
            try AuditTrail.record(
                .init(.mirrorRebuilt, outcome: "carried \(carried["outbox"] ?? 0) writes, \(carried["audit"] ?? 0) entries"), in: db)
        }
        return report
    }
}
