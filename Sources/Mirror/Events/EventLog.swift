import Foundation
import GRDB

/// What a change event says happened to a row.
public enum ChangeAction: String, Sendable, Codable {
    case create, update, delete
    /// Every table emptied at once (the mirror rebuilt for another practice or API).
    case truncate
}

/// One change of the mirror, as recorded in the transaction that made it.
public struct ChangeEvent: Sendable, Equatable {
    /// Its place in the stream: a consumer resumes after the last one it saw.
    public var seq: Int64
    /// When the mirror stored it (UTC, ISO 8601 with milliseconds).
    public var at: String
    /// `appointment.created`, `appointment.checked_in`, `clinical_note.signed`, `mirror.rebuilt` …
    public var type: String
    public var table: String
    /// The row's key, as text.
    public var subject: String
    public var action: ChangeAction
    public var origin: ChangeOrigin
    /// The person of the practice behind a queued write.
    public var person: String?
    /// The columns an update changed.
    public var changed: [String]
    /// The row's exported columns as a JSON object: after a create or update, before a delete.
    public var row: String
}

/// The mirror's change stream: every change of an exported table (``ExportCatalog``),
/// numbered in commit order and kept for the profile's `event_retention_days`.
public enum EventLog {
    /// A consumer asked to resume where the stream no longer reaches (or never did).
    public enum Gap: Error, Equatable, CustomStringConvertible {
        /// Events up to `prunedThrough` were dropped after `days` days.
        case pruned(asked: Int64, prunedThrough: Int64)
        /// The stream has not reached `asked`: its newest event is `newest`.
        case ahead(asked: Int64, newest: Int64)

        public var description: String {
            switch self {
            case .pruned(let asked, let through):
                "Events up to \(through) are no longer kept (the profile keeps them for event_retention_days); resuming after \(asked) "
                    + "would skip \(through - asked). Take a snapshot (`chronoterm export`) and follow from \(through)."
            case .ahead(let asked, let newest):
                "This mirror's stream has not reached event \(asked) (its newest is \(newest)): the consumer followed another mirror, "
                    + "or this one was replaced. Take a snapshot and follow from \(newest)."
            }
        }
    }

    /// Where the stream stands: the newest event, and the newest dropped by retention.
    public struct Position: Sendable, Equatable {
        public var newest: Int64
        public var prunedThrough: Int64

        public init(newest: Int64, prunedThrough: Int64) { (self.newest, self.prunedThrough) = (newest, prunedThrough) }
    }

    static func register(in migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v23 change events") { db in
            try db.execute(
                sql: """
                    CREATE TABLE events (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, type TEXT NOT NULL, table_name TEXT NOT NULL,
                        subject TEXT NOT NULL, action TEXT NOT NULL, origin TEXT NOT NULL, person TEXT, changed TEXT, row TEXT NOT NULL);
                    -- The origin the transaction now running named for its changes (one row).
                    CREATE TABLE change_origin (id INTEGER PRIMARY KEY CHECK (id = 1), origin TEXT NOT NULL, person TEXT);
                    INSERT INTO change_origin VALUES (1, 'unknown', NULL);
                    -- The newest event dropped after the retention time: asking below it is an error.
                    -- The stream's own name: its numbers mean something only within it.
                    CREATE TABLE event_log (id INTEGER PRIMARY KEY CHECK (id = 1), pruned_through INTEGER NOT NULL, stream TEXT NOT NULL);
                    """)
            try db.execute(sql: "INSERT INTO event_log VALUES (1, 0, ?)", arguments: [UUID().uuidString.lowercased()])
            for statement in ChangeTriggers.create() { try db.execute(sql: statement) }
        }
    }

    /// Where the stream stands now (two single-row reads: asked at every step of following).
    public static func position(in db: Database) throws -> Position {
        let newest = try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'events'") ?? 0
        let pruned = try Int64.fetchOne(db, sql: "SELECT pruned_through FROM event_log WHERE id = 1") ?? 0
        return Position(newest: newest, prunedThrough: pruned)
    }

    /// How many events are kept (a count of them all).
    public static func kept(in db: Database) throws -> Int { try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM events") ?? 0 }

    /// Throws ``Gap`` unless every event after `seq` is still kept.
    public static func checkResume(after seq: Int64, in db: Database) throws {
        let position = try position(in: db)
        if seq < position.prunedThrough { throw Gap.pruned(asked: seq, prunedThrough: position.prunedThrough) }
        if seq > position.newest { throw Gap.ahead(asked: seq, newest: position.newest) }
    }

    /// Up to `limit` events after `seq`, oldest first, of the given types (each an entity,
    /// `appointment`, or a whole type, `appointment.checked_in`; empty: all).
    public static func events(after seq: Int64, types: [String] = [], limit: Int, in db: Database) throws -> [ChangeEvent] {
        var sql = "SELECT seq, at, type, table_name, subject, action, origin, person, changed, row FROM events WHERE seq > ?"
        var arguments: StatementArguments = [seq]
        if !types.isEmpty {
            sql += " AND (" + types.map { $0.contains(".") ? "type = ?" : "type GLOB ?" }.joined(separator: " OR ") + ")"
            for type in types { _ = arguments.append(contentsOf: [type.contains(".") ? type : type + ".*"]) }
        }
        sql += " ORDER BY seq LIMIT ?"
        _ = arguments.append(contentsOf: [limit])
        return try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
            ChangeEvent(
                seq: row["seq"], at: row["at"], type: row["type"], table: row["table_name"], subject: row["subject"],
                action: ChangeAction(rawValue: row["action"]) ?? .update, origin: ChangeOrigin(rawValue: row["origin"]) ?? .unknown,
                person: row["person"], changed: (row["changed"] as String?).map { $0.split(separator: ",").map(String.init) } ?? [],
                row: row["row"])
        }
    }

    /// Drops the events older than `days` days before `now`; answers how many. (Once a
    /// day: it reads the events' times without an index, which would cost every write.)
    @discardableResult
    public static func prune(keepingDays days: Int, now: Date = Date(), in db: Database) throws -> Int {
        let cutoff = ISO8601DateFormatter().string(from: now.addingTimeInterval(-Double(days) * 86_400))
        // Events are appended in time order: read from the oldest, a thousand at a time,
        // and stop at the first young enough to keep. (Asking for the newest old one with
        // `max(seq) … WHERE at < ?` read every event — 1.4 million after a large load, from
        // disk — at each prune, though none was old.)
        var through: Int64?
        var after: Int64 = 0
        scan: while true {
            let rows = try Row.fetchAll(
                db.cachedStatement(sql: "SELECT seq, at FROM events WHERE seq > ? ORDER BY seq LIMIT 1000"), arguments: [after])
            guard let last = rows.last else { break }
            for row in rows {
                guard (row[1] as String) < cutoff else { break scan }
                through = row[0]
            }
            after = last[0]
        }
        guard let through else { return 0 }
        try db.execute(sql: "DELETE FROM events WHERE seq <= ?", arguments: [through])
        let dropped = db.changesCount
        try db.execute(sql: "UPDATE event_log SET pruned_through = max(pruned_through, ?) WHERE id = 1", arguments: [through])
        return dropped
    }

    /// Records that every exported table was emptied (the mirror rebuilt), in place of a
    /// delete per row.
    static func recordRebuild(in db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO events (at, type, table_name, subject, action, origin, person, changed, row)
                VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'mirror.rebuilt', '', '', 'truncate', 'rebuild', NULL, NULL, '{}')
                """)
    }
}

extension EventLog {
    /// The stream's source, by the stream's own name: event numbers are unique within it. A
    /// mirror deleted and made again starts another stream; one rebuilt from a damaged file
    /// goes on with the same stream and numbers (``carryOver(from:in:)``).
    public static func source(in db: Database) throws -> String {
        "urn:chronoterm:stream:" + (try String.fetchOne(db, sql: "SELECT stream FROM event_log WHERE id = 1") ?? "unknown")
    }

    /// Goes on with a damaged mirror's stream in a new one: the same name, numbers after
    /// its newest (everything before it is "no longer kept" here, so a consumer behind it
    /// is told to take a snapshot), and a `mirror.rebuilt` event to start from.
    static func carryOver(from damaged: Database, in db: Database) throws {
        guard try damaged.tableExists("event_log"),
            let stream = try String.fetchOne(damaged, sql: "SELECT stream FROM event_log WHERE id = 1"),
            let newest = try Int64.fetchOne(damaged, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'events'")
        else { return }
        try db.execute(sql: "UPDATE event_log SET stream = ?, pruned_through = ? WHERE id = 1", arguments: [stream, newest])
        try db.execute(sql: "DELETE FROM sqlite_sequence WHERE name = 'events'")
        try db.execute(sql: "INSERT INTO sqlite_sequence (name, seq) VALUES ('events', ?)", arguments: [newest])
        try recordRebuild(in: db)
    }
}

extension EventLog {
    /// For the benchmarks only: turns the stream's triggers off (and on again), to measure
    /// what recording costs a load. A practice's mirror always records.
    @_spi(Benchmarks)
    public static func setRecording(_ on: Bool, in db: Database) throws {
        for table in ExportCatalog.tables {
            for statement in ChangeTriggers.drop(table) + (on ? ChangeTriggers.create(table) : []) { try db.execute(sql: statement) }
        }
    }
}
