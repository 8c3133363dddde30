import Crypto
import DrChronoAPI
import Foundation
import GRDB

/// Who looked at which chart, and which writes were queued and how they ended: one row
/// per event, in the mirror beside the data it is about, each chained to the one before
/// by a SHA-256 hash so that an edited or deleted entry is found by `verify`.
///
/// Entries hold ids and kinds, never contents: a patient's id, not their name; a write's
/// kind and outbox number, not what it said. Writes are recorded in the same
/// transaction as the outbox change they describe, so the trail and the queue cannot
/// disagree. Triggers refuse UPDATE and DELETE; `sqlite_sequence` remembers the highest
/// number ever given, so entries cut from the end are noticed too.
public enum AuditTrail {
    public struct Entry: Sendable, Equatable {
        public var seq: Int64
        public var at: String
        public var osUser: String
        public var user: String
        public var event: String
        public var patient: Int?
        public var appointment: String?
        public var reference: String?
        public var outcome: String?
        public var previous: String
        public var hash: String
        /// The person of the practice who did it (a console opened with `--person`),
        /// and how they came: the SSH key's fingerprint and the address they came from.
        public var person: String? = nil
        public var via: String? = nil
    }

    /// A person of the practice at a console: who the trail and the write queue name.
    public struct Person: Sendable, Equatable {
        public var name: String
        /// "key SHA256:… from 10.0.0.5", or nil at the host's own keyboard.
        public var via: String?
        public init(name: String, via: String? = nil) { (self.name, self.via) = (name, via) }
    }

    /// What happened, without its contents.
    public struct Event: Sendable, Equatable {
        public var name: String
        public var patient: Int?
        public var appointment: String?
        public var reference: String?
        public var outcome: String?

        public init(
            _ event: AuditEvent, patient: Int? = nil, appointment: String? = nil, reference: String? = nil, outcome: String? = nil
        ) {
            (self.name, self.patient, self.appointment, self.reference, self.outcome) = (
                event.rawValue, patient, appointment, reference, outcome
            )
        }
    }

    static let genesis = String(repeating: "0", count: 64)

    /// The operating-system account running this process.
    public static let osUser: String = {
        if let entry = getpwuid(getuid()), let name = entry.pointee.pw_name { return String(cString: name) }
        return ProcessInfo.processInfo.environment["USER"] ?? "uid \(getuid())"
    }()

    /// Appends `event`, as the DrChrono user this mirror belongs to (`user` overrides).
    public static func record(_ event: Event, user: String? = nil, person: Person? = nil, at date: Date = Date(), in db: Database) throws {
        let last = try Row.fetchOne(db, sql: "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1")
        let issued = try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'audit'") ?? 0
        let seq = max(issued, last?["seq"] ?? 0) + 1
        let who = try user ?? String.fetchOne(db, sql: "SELECT user_id FROM mirror_epoch WHERE id = 1") ?? "unknown"
        let person = try person ?? sessionPerson(db)
        var entry = Entry(
            seq: seq, at: ISO8601DateFormatter().string(from: date), osUser: osUser, user: who, event: event.name,
            patient: event.patient, appointment: event.appointment, reference: event.reference, outcome: event.outcome,
            previous: last?["hash"] ?? genesis, hash: "", person: person?.name, via: person?.via)
        entry.hash = hash(of: entry)
        try db.execute(
            sql: """
                INSERT INTO audit (seq, at, os_user, user, event, patient, appointment, reference, outcome, prev, hash, person, via)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                entry.seq, entry.at, entry.osUser, entry.user, entry.event, entry.patient, entry.appointment,
                entry.reference, entry.outcome, entry.previous, entry.hash, entry.person, entry.via,
            ])
    }

    /// The person this connection works for, set when the mirror was opened for them
    /// (``MirrorDatabase/open(at:person:)``): every entry and queued write of a
    /// person's console names them without each caller passing them along.
    static func sessionPerson(_ db: Database) throws -> Person? {
        guard try Bool.fetchOne(db, sql: "SELECT COUNT(*) > 0 FROM sqlite_temp_master WHERE name = 'session_person'") == true,
            let row = try Row.fetchOne(db, sql: "SELECT name, via FROM temp.session_person")
        else { return nil }
        return Person(name: row["name"], via: row["via"])
    }

    static func hash(of entry: Entry) -> String {
        let fields: [String] =
            [
                entry.previous, String(entry.seq), entry.at, entry.osUser, entry.user, entry.event,
                entry.patient.map(String.init) ?? "", entry.appointment ?? "", entry.reference ?? "", entry.outcome ?? "",
            ]
            // Entries from before people were named hash as they always did.
            + (entry.person == nil && entry.via == nil ? [] : [entry.person ?? "", entry.via ?? ""])
        // Each field length-prefixed, so no two different entries join into the same text.
        let text = fields.map { "\($0.utf8.count):\($0)" }.joined(separator: "|")
        return SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Entries, oldest first, optionally about one patient or since a moment (ISO 8601).
    public static func entries(_ db: Database, patient: Int? = nil, since: String? = nil) throws -> [Entry] {
        var sql = "SELECT * FROM audit WHERE 1 = 1"
        var arguments: [(any DatabaseValueConvertible)?] = []
        if let patient { sql += " AND patient = ?"; arguments.append(patient) }
        if let since { sql += " AND at >= ?"; arguments.append(since) }
        return try Row.fetchAll(db, sql: sql + " ORDER BY seq", arguments: StatementArguments(arguments)).map { row in
            Entry(
                seq: row["seq"], at: row["at"], osUser: row["os_user"], user: row["user"], event: row["event"], patient: row["patient"],
                appointment: row["appointment"], reference: row["reference"], outcome: row["outcome"], previous: row["prev"],
                hash: row["hash"], person: row["person"], via: row["via"])
        }
    }

    /// What `verify` found wrong, in words, with the entry it is about.
    public struct Break: Sendable, Equatable, CustomStringConvertible {
        public var seq: Int64
        public var problem: String
        public var description: String { "entry \(seq): \(problem)" }
    }

    /// Walks the chain: each entry's hash must be that of its fields, each must name the
    /// hash before it, and the numbers must run without a gap to the last one issued.
    public static func verify(_ db: Database) throws -> [Break] {
        var breaks: [Break] = []
        var previous = genesis
        var expected: Int64 = 1
        for entry in try entries(db) {
            if entry.seq != expected {
                breaks.append(
                    Break(
                        seq: expected,
                        problem: entry.seq > expected ? "missing (deleted) — the trail jumps to entry \(entry.seq)" : "out of order"))
            }
            if entry.previous != previous {
                breaks.append(
                    Break(seq: entry.seq, problem: "does not follow the entry before it (an entry before it was deleted or changed)"))
            }
            if hash(of: entry) != entry.hash {
                breaks.append(Break(seq: entry.seq, problem: "was changed after it was written"))
            }
            previous = entry.hash
            expected = entry.seq + 1
        }
        let issued = try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'audit'") ?? 0
        if issued >= expected {
            breaks.append(Break(seq: expected, problem: "missing — entries \(expected) to \(issued) were written and are gone"))
        }
        return breaks
    }
}
