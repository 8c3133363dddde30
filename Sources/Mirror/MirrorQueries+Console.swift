import DrChronoAPI
import Foundation
import GRDB

/// Reads the console makes around the main lists: names for ids, the practice's
/// doctors and offices, outbox marks, next appointments.
extension MirrorQueries {
    /// The practice's doctors, by last name.
    public static func doctors(_ db: Database) throws -> [Doctor] {
        try decodeRaw(db, "SELECT raw FROM doctors ORDER BY last_name, first_name, id", [], Doctor.init(json:))
    }

    /// Doctors' last names by id, from the columns (no JSON decoded): for a list that
    /// names the doctors of its rows only.
    public static func doctorLastNames(_ db: Database, ids: some Collection<Int>) throws -> [Int: String] {
        let ids = Array(Set(ids))
        guard !ids.isEmpty else { return [:] }
        let rows = try Row.fetchAll(
            db, sql: "SELECT id, last_name FROM doctors WHERE id IN (\(databaseQuestionMarks(count: ids.count)))",
            arguments: StatementArguments(ids))
        return Dictionary(rows.map { ($0["id"] as Int, $0["last_name"] as String) }) { first, _ in first }
    }

    /// The practice's offices still in use, with their exam rooms.
    public static func offices(_ db: Database) throws -> [Office] {
        try decodeRaw(db, "SELECT raw FROM offices WHERE archived = 0 ORDER BY id", [], Office.init(json:))
    }

    /// The practice's visit types (appointment profiles) still in use, by name.
    public static func visitTypes(_ db: Database) throws -> [AppointmentProfile] {
        try decodeRaw(db, "SELECT raw FROM appointment_profiles WHERE archived = 0 ORDER BY name, id", [], AppointmentProfile.init(json:))
    }

    /// "Last, First" for each patient id asked for; ids the mirror lacks are left out.
    public static func patientNames(_ db: Database, ids: some Collection<Int>) throws -> [Int: String] {
        var names: [Int: String] = [:]
        try eachRow(db, "SELECT id, first_name, last_name FROM patients WHERE id IN", Array(Set(ids))) { row in
            let first: String = row[1]
            let last: String = row[2]
            names[row[0]] = last.isEmpty ? first : first.isEmpty ? last : "\(last), \(first)"
        }
        return names
    }

    /// Each patient's next appointment after `after` (not cancelled, not a break).
    /// How many documents each patient's chart holds (a patient with none is left out).
    public static func documentCounts(_ db: Database, patients: [Int]) throws -> [Int: Int] {
        guard !patients.isEmpty else { return [:] }
        var counts: [Int: Int] = [:]
        try eachRow(db, "SELECT patient_id, COUNT(*) FROM documents WHERE patient_id IN", patients, groupedBy: "patient_id") { row in
            counts[row[0]] = row[1]
        }
        return counts
    }

    public static func nextAppointments(_ db: Database, patients: [Int], after: LocalDateTime) throws -> [Int: LocalDateTime] {
        guard !patients.isEmpty else { return [:] }
        // One statement: for each patient, the first row of the (patient, time) index past `after`.
        var next: [Int: LocalDateTime] = [:]
        let rows = try Row.fetchCursor(
            db.cachedStatement(
                sql: """
                    SELECT patient_id, MIN(scheduled_time) FROM appointments
                    WHERE patient_id IN (SELECT value FROM json_each(?)) AND scheduled_time > ? AND is_break = 0 AND \(VisitTime.sqlCondition)
                    GROUP BY patient_id
                    """), arguments: [jsonList(patients), after.description])
        while let row = try rows.next() {
            if let time = (row[1] as String?).flatMap(LocalDateTime.init) { next[row[0]] = time }
        }
        return next
    }

    /// Clinical note field names by field type id, for showing a note's values.
    public static func noteFieldNames(_ db: Database, ids: some Collection<Int>) throws -> [Int: String] {
        var names: [Int: String] = [:]
        try eachRow(db, "SELECT id, name FROM clinical_note_field_types WHERE id IN", Array(Set(ids))) { row in
            names[row["id"]] = row["name"]
        }
        return names
    }

    /// What the outbox says about each appointment with a write not yet confirmed: the
    /// worst state of its writes (conflict and failed outrank pending) and its message.
    public static func outboxMarks(_ db: Database) throws -> [String: OutboxMark] {
        var marks: [String: OutboxMark] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT entity, state, message FROM outbox ORDER BY seq") {
            guard let target = row["entity"] as WriteTarget?, let id = target.appointmentId, let state = row["state"] as OutboxState? else {
                continue
            }
            if let existing = marks[id], existing.state >= state { continue }
            marks[id] = OutboxMark(state: state, message: row["message"])
        }
        return marks
    }

    private static func decodeRaw<T>(_ db: Database, _ sql: String, _ arguments: StatementArguments, _ make: (JSONObject) -> T?) throws
        -> [T]
    {
        try String.fetchAll(db, sql: sql, arguments: arguments).compactMap { raw in
            (try? JSONValue.parse(Data(raw.utf8)))?.objectValue.flatMap(make)
        }
    }
}

/// The outbox's word on an appointment: the worst state of its writes, and DrChrono's
/// message when it refused.
public struct OutboxMark: Sendable, Equatable {
    public var state: OutboxState
    public var message: String?

    public init(state: OutboxState, message: String?) { (self.state, self.message) = (state, message) }

    /// Whether a person must act: DrChrono refused the write.
    public var needsAttention: Bool { state.needsAttention }
}

extension MirrorQueries {
    /// When each appointment is (was) scheduled, by id: a note's visit date.
    public static func appointmentTimes(_ db: Database, ids: [String]) throws -> [String: LocalDateTime] {
        var times: [String: LocalDateTime] = [:]
        try eachRow(db, "SELECT id, scheduled_time FROM appointments WHERE id IN", Array(Set(ids))) { row in
            if let time = (row["scheduled_time"] as String?).flatMap(LocalDateTime.init) { times[row["id"]] = time }
        }
        return times
    }

    /// `select` (ending in `IN`) for `ids`, the ids bound as one JSON array that SQLite
    /// reads with `json_each`: one statement, compiled once, for any number of ids, and one
    /// value to bind rather than hundreds. Each row is handed to `body` straight off the
    /// statement, not copied first: a day change reads a few hundred of them, and copying
    /// each into a row of boxed values cost more than the query.
    static func eachRow<ID: DatabaseValueConvertible>(
        _ db: Database, _ select: String, _ ids: [ID], groupedBy group: String? = nil, _ body: (Row) throws -> Void
    ) throws {
        guard !ids.isEmpty else { return }
        let sql = select + " (SELECT value FROM json_each(?))" + (group.map { " GROUP BY " + $0 } ?? "")
        let rows = try Row.fetchCursor(db.cachedStatement(sql: sql), arguments: [jsonList(ids)])
        while let row = try rows.next() { try body(row) }
    }

    /// `[1,2,3]` or `["a","b"]`: ids as JSON, strings escaped as JSON requires.
    static func jsonList<ID: DatabaseValueConvertible>(_ ids: [ID]) -> String {
        var json = "["
        for (index, id) in ids.enumerated() {
            if index > 0 { json += "," }
            switch id.databaseValue.storage {
            case .int64(let number): json += String(number)
            case .double(let number): json += String(number)
            case .string(let text):
                json += "\""
                for scalar in text.unicodeScalars {
                    switch scalar {
                    case "\"": json += "\\\""
                    case "\\": json += "\\\\"
                    case _ where scalar.value < 0x20: json += String(format: "\\u%04x", scalar.value)
                    default: json.unicodeScalars.append(scalar)
                    }
                }
                json += "\""
            case .null, .blob: json += "null"
            }
        }
        return json + "]"
    }
}
