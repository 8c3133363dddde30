import Foundation
import GRDB

/// The reads every screen makes, each a range scan of an index.
public enum MirrorQueries {
    /// One day's appointments and breaks (deleted ones left out), in time order, for one
    /// doctor or all.
    public static func daySchedule(_ db: Database, day: String, doctor: Int? = nil) throws -> [Appointment] {
        let sql = doctor == nil
            ? "SELECT raw FROM appointments WHERE day = ? AND deleted = 0 ORDER BY scheduled_time, doctor_id"
            : "SELECT raw FROM appointments WHERE day = ? AND doctor_id = ? AND deleted = 0 ORDER BY scheduled_time"
        return try decode(db, sql, doctor == nil ? [day] : [day, doctor], Appointment.init(json:))
    }

    /// One day in one exam room of an office.
    public static func roomSchedule(_ db: Database, day: String, office: Int, room: Int) throws -> [Appointment] {
        try decode(db, "SELECT raw FROM appointments WHERE day = ? AND office_id = ? AND exam_room = ? AND deleted = 0 ORDER BY scheduled_time",
                   [day, office, room], Appointment.init(json:))
    }

    /// Days `from` through `to` (inclusive, `YYYY-MM-DD`), for a week view.
    public static func schedule(_ db: Database, from: String, to: String, doctor: Int? = nil) throws -> [Appointment] {
        let sql = doctor == nil
            ? "SELECT raw FROM appointments WHERE day BETWEEN ? AND ? AND deleted = 0 ORDER BY scheduled_time"
            : "SELECT raw FROM appointments WHERE day BETWEEN ? AND ? AND doctor_id = ? AND deleted = 0 ORDER BY scheduled_time"
        return try decode(db, sql, doctor == nil ? [from, to] : [from, to, doctor], Appointment.init(json:))
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
        var ids: [Int] = []
        var seen = Set<Int>()
        for probe in probes.sorted() {
            let rows = try Int.fetchAll(db, sql: "SELECT patient_id FROM patient_search WHERE key >= ? AND key < ? LIMIT ?",
                                        arguments: [probe, probe + "\u{10FFFF}", limit * 4])
            for id in rows where seen.insert(id).inserted { ids.append(id) }
        }
        guard !ids.isEmpty else { return [] }
        let placeholders = ids.prefix(limit * 4).map { _ in "?" }.joined(separator: ",")
        let patients = try decode(db, "SELECT raw FROM patients WHERE id IN (\(placeholders))", StatementArguments(ids.prefix(limit * 4)), Patient.init(json:))
        return Array(patients.sorted { ($0.lastName, $0.firstName, $0.id) < ($1.lastName, $1.firstName, $1.id) }.prefix(limit))
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
        Chart(notes: try decode(db, "SELECT raw FROM clinical_notes WHERE patient_id = ? ORDER BY id DESC", [patient], ClinicalNote.init(json:)),
              problems: try decode(db, "SELECT raw FROM problems WHERE patient_id = ? ORDER BY id", [patient], Problem.init(json:)),
              medications: try decode(db, "SELECT raw FROM medications WHERE patient_id = ? ORDER BY id", [patient], Medication.init(json:)),
              allergies: try decode(db, "SELECT raw FROM allergies WHERE patient_id = ? ORDER BY id", [patient], Allergy.init(json:)),
              documents: try decode(db, "SELECT raw FROM documents WHERE patient_id = ? ORDER BY date DESC, id DESC", [patient], Document.init(json:)))
    }

    /// An appointment's billing line items.
    public static func lineItems(_ db: Database, appointment: String) throws -> [LineItem] {
        try decode(db, "SELECT raw FROM line_items WHERE appointment_id = ? ORDER BY id", [appointment], LineItem.init(json:))
    }

    /// The practice's time zone, as its doctors' records give it.
    public static func practiceTimeZone(_ db: Database) throws -> TimeZone? {
        try String.fetchOne(db, sql: "SELECT time_zone FROM doctors WHERE time_zone IS NOT NULL AND time_zone != '' ORDER BY id LIMIT 1")
            .flatMap(TimeZone.init(identifier:))
    }

    public static func count(_ db: Database, _ resource: MirrorResource) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(resource.table)") ?? 0
    }

    private static func decode<T>(_ db: Database, _ sql: String, _ arguments: StatementArguments, _ make: (JSONObject) -> T?) throws -> [T] {
        try String.fetchAll(db, sql: sql, arguments: arguments).compactMap { raw in
            (try? JSONValue.parse(Data(raw.utf8)))?.objectValue.flatMap(make)
        }
    }
}
