import DrChronoAPI
import Foundation
import GRDB

/// The reads every screen makes, each a range scan of an index.
public enum MirrorQueries {
    /// One day's appointments and breaks (deleted ones left out), in time order, for one
    /// doctor or all. Built from the indexed columns: no JSON is parsed for a list.
    public static func daySchedule(_ db: Database, day: String, doctor: Int? = nil) throws -> [Appointment] {
        let sql =
            doctor == nil
            ? "SELECT \(appointmentColumns) FROM appointments WHERE day = ? AND deleted = 0 ORDER BY scheduled_time, doctor_id"
            : "SELECT \(appointmentColumns) FROM appointments WHERE day = ? AND doctor_id = ? AND deleted = 0 ORDER BY scheduled_time"
        let rows = try Row.fetchCursor(db.cachedStatement(sql: sql), arguments: doctor == nil ? [day] : [day, doctor])
        return try Array(rows.compactMap(appointment))
    }

    /// A day of these doctors only (all of them when nil): what the schedule shows of a
    /// practice too large for one screen.
    public static func daySchedule(_ db: Database, day: String, doctors: [Int]?) throws -> [Appointment] {
        guard let doctors else { return try daySchedule(db, day: day) }
        guard !doctors.isEmpty else { return [] }
        let marks = databaseQuestionMarks(count: doctors.count)
        // Through the doctors' index: SQLite would rather walk the whole day in time order
        // (2,000 visits at `large`) than sort the few hundred of these doctors; `+` keeps
        // the time-order index from giving the order for free (not INDEXED BY, which a
        // person's sight — a view — cannot take). Decoded straight off the statement (a
        // cursor), not from copied rows.
        let sql =
            "SELECT \(appointmentColumns) FROM appointments WHERE day = ? AND doctor_id IN (\(marks)) AND deleted = 0 ORDER BY +scheduled_time, doctor_id"
        return try Array(
            Row.fetchCursor(
                db.cachedStatement(sql: sql),
                arguments: StatementArguments([day as DatabaseValueConvertible] + doctors.map { $0 as DatabaseValueConvertible })
            )
            .compactMap(appointment))
    }

    /// One page of a day (of one doctor or office, or all), in time order, and how many
    /// the day holds: what a reader that pages asks for, without reading the whole day.
    public static func daySchedulePage(
        _ db: Database, day: String, doctor: Int? = nil, office: Int? = nil, limit: Int, offset: Int
    ) throws -> (visits: [Appointment], total: Int) {
        var filter = "day = ? AND deleted = 0"
        var arguments: [DatabaseValueConvertible] = [day]
        if let doctor {
            filter += " AND doctor_id = ?"
            arguments.append(doctor)
        }
        if let office {
            filter += " AND office_id = ?"
            arguments.append(office)
        }
        let total =
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM appointments WHERE \(filter)", arguments: StatementArguments(arguments)) ?? 0
        let visits = try Row.fetchAll(
            db,
            sql: "SELECT \(appointmentColumns) FROM appointments WHERE \(filter) ORDER BY scheduled_time, doctor_id, id LIMIT ? OFFSET ?",
            arguments: StatementArguments(arguments + [limit, offset])
        ).compactMap(appointment)
        return (visits, total)
    }

    /// Days `from` through `to` (inclusive, `YYYY-MM-DD`), for a week view.
    public static func schedule(_ db: Database, from: String, to: String, doctor: Int? = nil) throws -> [Appointment] {
        let sql =
            doctor == nil
            ? "SELECT \(appointmentColumns) FROM appointments WHERE day BETWEEN ? AND ? AND deleted = 0 ORDER BY scheduled_time"
            : "SELECT \(appointmentColumns) FROM appointments WHERE day BETWEEN ? AND ? AND doctor_id = ? AND deleted = 0 ORDER BY scheduled_time"
        return try Row.fetchAll(db, sql: sql, arguments: doctor == nil ? [from, to] : [from, to, doctor]).compactMap(appointment)
    }

    /// One appointment as stored, with every field DrChrono sent.
    /// Every doctor's id, in order: the parts a long bulk list is read in.
    public static func doctorIds(_ db: Database) throws -> [Int] {
        try Int.fetchAll(db, sql: "SELECT id FROM doctors ORDER BY id")
    }

    public static func appointment(_ db: Database, id: String) throws -> Appointment? {
        try decode(db, "SELECT raw FROM appointments WHERE id = ?", [id], Appointment.init(json:)).first
    }

    static let appointmentColumns =
        "id, doctor_id, office_id, exam_room, patient_id, scheduled_time, duration, status, reason, notes, profile_id, is_break, deleted, note_locked, updated_at"

    /// A list entry from the columns (its `raw` empty: a list carries the fields the
    /// screens show, not DrChrono's whole object). The columns by place, in the order of
    /// ``appointmentColumns``: a day of a large practice is hundreds of rows a keystroke.
    static func appointment(_ row: Row) -> Appointment? {
        guard let id = row[0] as String?, !id.isEmpty else { return nil }
        return Appointment(
            id: id, doctor: row[1], office: row[2], examRoom: row[3], patient: row[4],
            scheduledTime: (row[5] as String?).flatMap(LocalDateTime.init), duration: row[6] as Int? ?? 0, status: row[7] as String? ?? "",
            reason: row[8] as String? ?? "", notes: row[9] as String? ?? "", profile: row[10], isBreak: row[11] as Bool? ?? false,
            deleted: row[12] as Bool? ?? false, noteLocked: row[13], updatedAt: (row[14] as String?).flatMap(LocalDateTime.init))
    }

    /// Patients whose name — first then last, or last then first — chart id, birth date
    /// (`1990-05-17` or `5/17/1990`) or phone number starts with what was typed, with
    /// accents and case folded.
    public static func searchPatients(_ db: Database, _ typed: String, limit: Int = 50) throws -> [Patient] {
        let trimmed = typed.trimmingCharacters(in: .whitespaces)
        // Names are matched folded; dates as typed (their punctuation matters); phone
        // numbers by their digits alone.
        var probes: Set<String> = [SearchKey.fold(trimmed), trimmed]
        if trimmed.allSatisfy({ $0.isNumber || " ()-.+".contains($0) }) { probes.insert(SearchKey.digits(trimmed)) }
        probes.remove("")
        guard !probes.isEmpty else { return [] }
        // A range scan of the key index per probe, in key order (alphabetical), then
        // the matching patients' columns by primary key. No JSON is parsed.
        var ids: [Int] = []
        var seen = Set<Int>()
        for probe in probes.sorted() where ids.count < limit {
            let rows = try Int.fetchAll(
                db, sql: "SELECT patient_id FROM patient_search WHERE key >= ? AND key < ? ORDER BY key LIMIT ?",
                arguments: [probe, probe + "\u{10FFFF}", limit])
            for id in rows where seen.insert(id).inserted { ids.append(id) }
        }
        let wanted = Array(ids.prefix(limit))
        guard !wanted.isEmpty else { return [] }
        // The patients' columns by place, off a statement compiled once (a search runs
        // at every key).
        let rows = try Row.fetchCursor(
            db.cachedStatement(
                sql: """
                    SELECT id, chart_id, first_name, middle_name, last_name, nick_name, date_of_birth, gender, cell_phone, home_phone, email, status, doctor_id
                    FROM patients WHERE id IN (SELECT value FROM json_each(?))
                    """), arguments: [jsonList(wanted)])
        var byId: [Int: Patient] = [:]
        let keys = [
            "chart_id", "first_name", "middle_name", "last_name", "nick_name", "date_of_birth", "gender", "cell_phone", "home_phone",
            "email",
            "patient_status",
        ]
        while let row = try rows.next() {
            var o = JSONObject()
            o["id"] = .int(row[0] as Int? ?? 0)
            for (place, key) in keys.enumerated() { o[key] = .string(row[place + 1] as String?) }
            o["doctor"] = .int(row[12] as Int?)
            if let patient = Patient(json: o) { byId[patient.id] = patient }
        }
        return wanted.compactMap { byId[$0] }
    }

    public static func patient(_ db: Database, id: Int) throws -> Patient? {
        try decode(db, "SELECT raw FROM patients WHERE id = ?", [id], Patient.init(json:)).first
    }

    /// Everything the note viewer shows for one patient.
    public struct Chart: Sendable {
        public var notes: [ClinicalNote]
        public var problems: [Problem]
        public var medications: [Medication]
        public var allergies: [Allergy]
        public var documents: [Document]
    }

    public static func chart(_ db: Database, patient: Int) throws -> Chart {
        Chart(
            notes: try decode(
                db, "SELECT raw FROM clinical_notes WHERE patient_id = ? ORDER BY id DESC", [patient], ClinicalNote.init(json:)),
            problems: try decode(db, "SELECT raw FROM problems WHERE patient_id = ? ORDER BY id", [patient], Problem.init(json:)),
            medications: try decode(db, "SELECT raw FROM medications WHERE patient_id = ? ORDER BY id", [patient], Medication.init(json:)),
            allergies: try decode(db, "SELECT raw FROM allergies WHERE patient_id = ? ORDER BY id", [patient], Allergy.init(json:)),
            documents: try decode(
                db, "SELECT raw FROM documents WHERE patient_id = ? ORDER BY date DESC, id DESC", [patient], Document.init(json:)))
    }

    /// An appointment's billing line items, as DrChrono numbered them, then those still queued.
    public static func lineItems(_ db: Database, appointment: String) throws -> [LineItem] {
        try decode(db, "SELECT raw FROM line_items WHERE appointment_id = ? ORDER BY id < 0, abs(id)", [appointment], LineItem.init(json:))
    }

    /// The practice's time zone, as its doctors' records give it.
    /// The doctor a stored visit or patient belongs to; nil for other resources or a row
    /// the mirror does not hold.
    public static func doctor(of resource: MirrorResource, id: String, in db: Database) throws -> Int? {
        switch resource {
        case .appointments: try Int.fetchOne(db, sql: "SELECT doctor_id FROM appointments WHERE id = ?", arguments: [id])
        case .patients: try Int.fetchOne(db, sql: "SELECT doctor_id FROM patients WHERE id = ?", arguments: [Int(id)])
        default: nil
        }
    }

    /// Doctors the last sync's readers did not read (no live DrChrono login of the
    /// profile sees them): their rows are kept as last read. Empty for a profile read
    /// through one login.
    public static func unseenDoctors(_ db: Database) throws -> Set<Int> {
        let readers = try SyncBookmark.readers(in: db)
        guard !readers.isEmpty, !readers.values.contains(where: { $0 == nil }) else { return [] }
        let read = readers.values.compactMap { $0 }.reduce(into: Set<Int>()) { $0.formUnion($1) }
        return Set(try doctorIds(db)).subtracting(read)
    }

    /// The doctor of the visit a charge is on.
    public static func chargeDoctor(_ db: Database, id: Int) throws -> Int? {
        try Int.fetchOne(
            db, sql: "SELECT a.doctor_id FROM line_items l JOIN appointments a ON a.id = l.appointment_id WHERE l.id = ?", arguments: [id])
    }

    public static func practiceTimeZone(_ db: Database) throws -> TimeZone? {
        try String.fetchOne(db, sql: "SELECT time_zone FROM doctors WHERE time_zone IS NOT NULL AND time_zone != '' ORDER BY id LIMIT 1")
            .flatMap(TimeZone.init(identifier:))
    }

    /// When the last complete pass of appointments began, on DrChrono's clock: every
    /// change to today's schedule made before it is in the mirror. With several logins
    /// reading (a profile's grants, each its own `NAME:all`), the oldest of theirs.
    public static func scheduleCheckedAt(_ db: Database) throws -> Date? {
        guard
            let text = try String.fetchOne(
                db,
                sql: "SELECT MIN(seen_through) FROM sync_state WHERE resource = ? AND (scope = 'all' OR scope LIKE '%:all')",
                arguments: [MirrorResource.appointments.rawValue]),
            let seen = LocalDateTime(text)
        else { return nil }
        return seen.date(in: try practiceTimeZone(db) ?? .current)
    }

    public static func count(_ db: Database, _ resource: MirrorResource) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(resource.table)") ?? 0
    }

    private static func decode<T>(_ db: Database, _ sql: String, _ arguments: StatementArguments, _ make: (JSONObject) -> T?) throws -> [T]
    {
        try String.fetchAll(db, sql: sql, arguments: arguments).compactMap { raw in
            (try? JSONValue.parse(Data(raw.utf8)))?.objectValue.flatMap(make)
        }
    }
}
