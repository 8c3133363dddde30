import DrChronoAPI
import Foundation
import GRDB

/// Registering a patient and changing their record. A new patient is in the mirror —
/// searchable, bookable — at once, under a negative local id; bookings and changes made
/// for them wait in the queue for DrChrono's id and take it when it comes.
extension Outbox {
    /// Queues a new patient (`fields` as DrChrono takes them: names, birth date, sex,
    /// address, phones, insurance objects); answers their local id.
    @discardableResult
    public static func register(patient fields: JSONObject, in db: Database, now: LocalDateTime) throws -> Int {
        let localId = -Int.random(in: 1...Int(Int32.max))
        var row = fields
        row["id"] = .int(localId)
        row["chart_id"] = .string("")
        row["updated_at"] = .string(now.description)
        try MirrorWriter.store([row], as: .patients, in: db)
        try db.execute(sql: "UPDATE patients SET pending = 1 WHERE id = ?", arguments: [localId])
        try insert(db, target: .patient(localId), write: .register(PatientFields(fields), localId: localId), marker: "", now: now)
        return localId
    }

    /// Queues a change to a patient's record (only the fields that changed; an insurance
    /// object only with the card's fields that changed). Shown at once.
    public static func updatePatient(_ id: Int, changes: JSONObject, in db: Database, now: LocalDateTime) throws {
        guard !changes.isEmpty else { return }
        let id = try currentPatientId(of: id, in: db)
        try applyPatient(changes, to: id, in: db)
        try insert(db, target: .patient(id), write: .changePatient(PatientFields(changes)), marker: "", now: now)
    }

    /// The id a patient has now: DrChrono's, once it confirmed a registration made here.
    public static func currentPatientId(of id: Int, in db: Database) throws -> Int {
        guard id < 0 else { return id }
        return try String.fetchOne(db, sql: "SELECT server_id FROM outbox_renames WHERE local_id = ?", arguments: ["patient:\(id)"])
            .flatMap { Int($0) } ?? id
    }

    /// DrChrono confirmed a registration (or it was found there): its id replaces the
    /// local one everywhere — the patient's row, the writes still queued for them
    /// (bookings, changes, uploads), the visits already booked — and the entry leaves.
    public static func confirmRegistration(_ entry: Entry, server row: JSONObject, in db: Database) throws {
        guard let serverId = row.int("id"), let localId = entry.target.patientId else { return }
        try db.execute(sql: "DELETE FROM outbox WHERE seq = ?", arguments: [entry.seq])
        try audit(
            .writeConfirmed, seq: entry.seq, target: .patient(serverId), kind: entry.kind, outcome: "confirmed as \(serverId)",
            maker: entry.person, in: db)
        try db.execute(sql: "DELETE FROM patients WHERE id = ?", arguments: [localId])
        try db.execute(sql: "DELETE FROM patient_search WHERE patient_id = ?", arguments: [localId])
        try db.execute(
            sql: "INSERT OR REPLACE INTO outbox_renames (local_id, server_id) VALUES (?, ?)",
            arguments: ["patient:\(localId)", String(serverId)])
        try db.execute(
            sql: "UPDATE outbox SET entity = ? WHERE entity = ?", arguments: [WriteTarget.patient(serverId), WriteTarget.patient(localId)])
        try db.execute(
            sql: "UPDATE outbox SET payload = json_set(payload, '$.patient', ?) WHERE json_extract(payload, '$.patient') = ?",
            arguments: [serverId, localId])
        for table in ["appointments", "line_items", "documents"] {
            try db.execute(
                sql: "UPDATE \(table) SET patient_id = ?, raw = json_set(raw, '$.patient', ?) WHERE patient_id = ?",
                arguments: [serverId, serverId, localId])
        }
        try db.execute(sql: "UPDATE patients SET pending = 0 WHERE id = ?", arguments: [serverId])
        try MirrorWriter.store([row], as: .patients, in: db)
        // Changes still queued for them keep showing on top of DrChrono's row.
        for later in try entries(db) where later.target == .patient(serverId) {
            if case .changePatient(let changes) = later.write { try applyPatient(changes.fields, to: serverId, in: db) }
        }
    }

    /// DrChrono took a change: the entry leaves; the row stops being held when nothing
    /// else is queued for the patient.
    static func settlePatient(_ target: WriteTarget, in db: Database) throws {
        guard let id = target.patientId else { return }
        let queued =
            try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM outbox WHERE entity = ? AND kind IN (?, ?)",
                arguments: [target, WriteKind.patientCreate, WriteKind.patientUpdate]) ?? 0
        try db.execute(sql: "UPDATE patients SET pending = ? WHERE id = ?", arguments: [queued > 0, id])
    }

    /// A change's optimistic effect: the fields laid over the stored row (an insurance
    /// card's fields over the card), its columns and search keys rewritten, held.
    static func applyPatient(_ changes: JSONObject, to id: Int, in db: Database) throws {
        guard let raw = try String.fetchOne(db, sql: "SELECT raw FROM patients WHERE id = ?", arguments: [id]),
            var row = (try? JSONValue.parse(Data(raw.utf8)))?.objectValue
        else { return }
        for (key, value) in changes.pairs {
            if case .object(let card) = value, case .object(var held)? = row[key] {
                for (field, new) in card.pairs { held[field] = new }
                row[key] = .object(held)
            } else {
                row[key] = value
            }
        }
        try db.execute(sql: "UPDATE patients SET pending = 0 WHERE id = ?", arguments: [id])
        try MirrorWriter.store([row], as: .patients, in: db)
        try db.execute(sql: "UPDATE patients SET pending = 1 WHERE id = ?", arguments: [id])
    }
}
