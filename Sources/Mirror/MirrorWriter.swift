import DrChronoAPI
import Foundation
import GRDB

/// Stores what DrChrono sent: each row upserted by id, as received.
public enum MirrorWriter {
    public struct Stored: Sendable, Equatable {
        public var rows = 0
        /// The newest `updated_at` among them: the next bookmark.
        public var newestUpdate: LocalDateTime?
    }

    /// Upserts `rows` of `resource`. Rows that cannot be read (no id) are skipped, never fatal.
    @discardableResult
    public static func store(_ rows: [JSONObject], as resource: MirrorResource, in db: Database) throws -> Stored {
        var stored = Stored()
        for row in rows {
            guard let updated = try store(row, as: resource, in: db) else { continue }
            stored.rows += 1
            if let time = updated, stored.newestUpdate.map({ time > $0 }) ?? true { stored.newestUpdate = time }
        }
        return stored
    }

    /// Upserts `rows`, and with `keepingFields` keeps each field a stored row has that the
    /// incoming one leaves out: a login that sees a narrower part of the practice never
    /// takes away what a wider one read (DrChrono clears a field by sending it empty or
    /// null, not by leaving it out).
    @discardableResult
    public static func store(_ rows: [JSONObject], as resource: MirrorResource, in db: Database, keepingFields: Bool) throws -> Stored {
        guard keepingFields, !resource.isPracticeWide else { return try store(rows, as: resource, in: db) }
        return try store(try rows.map { try filledIn($0, as: resource, in: db) }, as: resource, in: db)
    }

    /// `row` with the fields the stored copy has and it lacks.
    static func filledIn(_ row: JSONObject, as resource: MirrorResource, in db: Database) throws -> JSONObject {
        guard let id = row.string("id") else { return row }
        let key = resource.textIds ? DatabaseValue(value: id) : DatabaseValue(value: Int(id))
        guard let raw = try String.fetchOne(db, sql: "SELECT raw FROM \(resource.table) WHERE id = ?", arguments: [key]),
            let held = (try? JSONValue.parse(Data(raw.utf8)))?.objectValue
        else { return row }
        var merged = row
        for (field, value) in held.pairs where merged[field] == nil { merged[field] = value }
        return merged
    }

    /// Stores a row that arrived on its own (a webhook's object) unless the mirror already
    /// holds the same row as it stood later: hooks can arrive after a poll that read a
    /// newer state. Only for resources whose table keeps `updated_at` (appointments,
    /// patients, clinical notes); answers whether it was stored.
    public static func storeIfNewer(_ row: JSONObject, as resource: MirrorResource, in db: Database) throws -> Bool {
        guard [.appointments, .patients, .clinicalNotes].contains(resource), let id = row.string("id"),
            let incoming = row.dateTime("updated_at")
        else { return false }
        let key = resource.textIds ? DatabaseValue(value: id) : DatabaseValue(value: Int(id))
        if let held = try String.fetchOne(db, sql: "SELECT updated_at FROM \(resource.table) WHERE id = ?", arguments: [key])
            .flatMap(LocalDateTime.init), held > incoming
        {
            return false
        }
        return try store(row, as: resource, in: db) != nil
    }

    /// Stores one row; answers nil when it could not be read, else its `updated_at`.
    private static func store(_ row: JSONObject, as resource: MirrorResource, in db: Database) throws -> LocalDateTime?? {
        let raw = JSONValue.object(row).serializedString
        switch resource {
        case .doctors:
            guard let d = Doctor(json: row) else { return nil }
            try db.upsert(
                into: "doctors", ["id", "first_name", "last_name", "suffix", "specialty", "time_zone", "raw"],
                [d.id, d.firstName, d.lastName, d.suffix, d.specialty, d.timeZone, raw])
            return .some(nil)
        case .offices:
            guard let o = Office(json: row) else { return nil }
            try db.upsert(
                into: "offices", ["id", "name", "start_time", "end_time", "archived", "raw"],
                [o.id, o.name, o.startTime, o.endTime, o.archived, raw])
            try db.run(sql: "DELETE FROM exam_rooms WHERE office_id = ?", arguments: [o.id])
            for room in o.examRooms {
                try db.run(sql: "INSERT OR REPLACE INTO exam_rooms VALUES (?, ?, ?)", arguments: [o.id, room.index, room.name])
            }
            return .some(nil)
        case .appointmentProfiles:
            guard let p = AppointmentProfile(json: row) else { return nil }
            try db.upsert(
                into: "appointment_profiles", ["id", "name", "color", "reason", "duration", "doctor_id", "archived", "raw"],
                [p.id, p.name, p.color, p.reason, p.duration, p.doctor, p.archived, raw])
            return .some(nil)
        case .clinicalNoteFieldTypes:
            guard let f = ClinicalNoteFieldType(json: row) else { return nil }
            try db.run(
                sql: "INSERT OR REPLACE INTO clinical_note_field_types VALUES (?, ?, ?, ?)",
                arguments: [f.id, f.name, f.template, f.dataType])
            return .some(nil)
        case .patients:
            guard let p = Patient(json: row) else { return nil }
            // A patient with a change still queued keeps it: DrChrono's row is taken
            // once the change is confirmed.
            if try Bool.fetchOne(db, sql: "SELECT pending FROM patients WHERE id = ?", arguments: [p.id]) == true {
                return .some(p.updatedAt)
            }
            try db.upsert(
                into: "patients",
                [
                    "id", "chart_id", "first_name", "middle_name", "last_name", "nick_name", "date_of_birth", "gender", "cell_phone",
                    "home_phone",
                    "email", "doctor_id", "status", "updated_at", "pending", "copay", "raw",
                ],
                [
                    p.id, p.chartId, p.firstName, p.middleName, p.lastName, p.nickName, p.dateOfBirth, p.gender,
                    SearchKey.digits(p.cellPhone), SearchKey.digits(p.homePhone), p.email, p.doctor, p.patientStatus,
                    p.updatedAt?.description, false, row["copay"].map(copayText), raw,
                ])
            try db.run(sql: "DELETE FROM patient_search WHERE patient_id = ?", arguments: [p.id])
            for key in SearchKey.keys(for: p) {
                try db.run(sql: "INSERT OR IGNORE INTO patient_search VALUES (?, ?)", arguments: [key, p.id])
            }
            for card in ["primary_insurance", "secondary_insurance"] {
                guard let insurance = row[card]?.objectValue, let name = insurance.string("insurance_company"),
                    !name.trimmingCharacters(in: .whitespaces).isEmpty
                else { continue }
                try db.run(
                    sql: "INSERT OR IGNORE INTO payers VALUES (?, ?)", arguments: [name, insurance.string("insurance_payer_id") ?? ""])
            }
            return .some(p.updatedAt)
        case .appointments:
            guard let a = Appointment(json: row) else { return nil }
            // A row with a write still queued keeps its local state: server truth
            // for it is taken once the write is confirmed.
            try db.run(
                sql: """
                    INSERT INTO appointments (id, doctor_id, office_id, exam_room, patient_id, day, scheduled_time, duration, status, reason, notes,
                                              profile_id, is_break, deleted, note_locked, updated_at, raw)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(id) DO UPDATE SET doctor_id = excluded.doctor_id, office_id = excluded.office_id, exam_room = excluded.exam_room,
                        patient_id = excluded.patient_id, day = excluded.day, scheduled_time = excluded.scheduled_time, duration = excluded.duration,
                        status = excluded.status, reason = excluded.reason, notes = excluded.notes, profile_id = excluded.profile_id,
                        is_break = excluded.is_break, deleted = excluded.deleted, note_locked = excluded.note_locked,
                        updated_at = excluded.updated_at, raw = excluded.raw
                    WHERE appointments.pending = 0
                    """,
                arguments: [
                    a.id, a.doctor, a.office, a.examRoom, a.patient, a.scheduledTime?.dateString, a.scheduledTime?.description,
                    a.duration, a.status, a.reason, a.notes, a.profile, a.isBreak, a.deleted, a.noteLocked,
                    a.updatedAt?.description, raw,
                ])
            return .some(a.updatedAt)
        case .clinicalNotes:
            guard let n = ClinicalNote(json: row) else { return nil }
            try db.upsert(
                into: "clinical_notes", ["id", "appointment_id", "patient_id", "locked_by", "updated_at", "raw"],
                [n.id, n.appointment, n.patient, n.lockedBy, n.updatedAt?.description, raw])
            return .some(n.updatedAt)
        case .problems:
            guard let p = Problem(json: row) else { return nil }
            try db.upsert(
                into: "problems", ["id", "patient_id", "name", "icd_code", "status", "raw"],
                [p.id, p.patient, p.name, p.icdCode, p.status, raw])
            return .some(row.dateTime("updated_at"))
        case .medications:
            guard let m = Medication(json: row) else { return nil }
            try db.upsert(into: "medications", ["id", "patient_id", "name", "status", "raw"], [m.id, m.patient, m.name, m.status, raw])
            return .some(row.dateTime("updated_at"))
        case .allergies:
            guard let a = Allergy(json: row) else { return nil }
            try db.upsert(
                into: "allergies", ["id", "patient_id", "description", "status", "raw"], [a.id, a.patient, a.description, a.status, raw])
            return .some(row.dateTime("updated_at"))
        case .lineItems:
            guard let l = LineItem(json: row) else { return nil }
            // A charge with a correction still queued keeps it until DrChrono confirms it.
            if try Bool.fetchOne(db, sql: "SELECT pending FROM line_items WHERE id = ?", arguments: [l.id]) == true, l.id > 0 {
                return .some(l.updatedAt)
            }
            try db.upsert(
                into: "line_items",
                [
                    "id", "appointment_id", "patient_id", "code", "procedure_type", "price_cents", "quantity", "updated_at", "pending",
                    "raw",
                ],
                [l.id, l.appointment, l.patient, l.code, l.procedureType, l.priceCents, l.quantity, l.updatedAt?.description, false, raw])
            return .some(l.updatedAt)
        case .patientPayments:
            guard let id = row.int("id") else { return nil }
            let amount = row["amount"]?.doubleValue ?? row.string("amount").flatMap(Double.init) ?? 0
            try db.run(
                sql: """
                    INSERT INTO patient_payments (id, patient_id, appointment_id, doctor_id, amount_cents, method, kind, received_date,
                        posted_date, created_by, updated_at, raw)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(id) DO UPDATE SET patient_id = excluded.patient_id, appointment_id = excluded.appointment_id,
                        doctor_id = excluded.doctor_id, amount_cents = excluded.amount_cents, method = excluded.method, kind = excluded.kind,
                        received_date = excluded.received_date, posted_date = excluded.posted_date, created_by = excluded.created_by,
                        updated_at = excluded.updated_at, raw = excluded.raw
                    """,
                arguments: [
                    id, row.int("patient"), row.string("appointment"), row.int("doctor"), Int((amount * 100).rounded()),
                    row.string("payment_method") ?? "", row.string("payment_transaction_type") ?? "",
                    row.dateTime("received_date")?.dateString, row.dateTime("posted_date")?.dateString, row.string("created_by") ?? "",
                    row.dateTime("updated_at")?.description, raw,
                ])
            return .some(row.dateTime("updated_at"))
        case .eligibilityChecks:
            guard let id = row.int("id") else { return nil }
            try db.upsert(
                into: "eligibility_checks", ["id", "appointment_id", "patient_id", "eligibility", "payer_name", "query_date", "raw"],
                [
                    id, row.string("appointment"), row.int("patient"), row.string("eligibility") ?? "", row.string("payer_name") ?? "",
                    row.dateTime("query_date")?.description, raw,
                ])
            return .some(nil)
        case .lineItemDeletions:
            // DrChrono names the voided line item, not the void: that is its id here.
            guard let id = row.int("billing_line_item_id") else { return nil }
            let at = row.dateTime("created_at")
            try db.upsert(
                into: "line_item_deletions", ["id", "appointment_id", "deleted_at", "raw"],
                [id, row.string("appointment_id"), at?.description, raw])
            // The line item leaves the bill — unless a correction of it is still queued here,
            // which DrChrono will refuse in words for the biller.
            try db.run(sql: "DELETE FROM line_items WHERE id = ? AND pending = 0", arguments: [id])
            return .some(at)
        case .feeSchedules:
            guard let id = row.int("id"), let code = row.string("code") else { return nil }
            func cents(_ key: String) -> Int? {
                (row[key]?.doubleValue ?? row.string(key).flatMap(Double.init)).map { Int(($0 * 100).rounded()) }
            }
            try db.upsert(
                into: "fee_schedules", ["id", "doctor_id", "code", "payer_id", "base_cents", "insured_cents", "raw"],
                [
                    id, row.int("doctor"), code.uppercased(), row.string("payer_id") ?? "", cents("base_price"), cents("insured_price"),
                    raw,
                ])
            return .some(nil)
        case .patientLabResults:
            guard let id = row.int("id") else { return nil }
            try db.upsert(
                into: "patient_lab_results", ["id", "patient_id", "flag", "entered_at", "updated_at", "raw"],
                [
                    id, row.int("patient"), LabResult.flag(row.string("lab_abnormal_flag")), row.dateTime("created_at")?.description,
                    row.dateTime("updated_at")?.description, raw,
                ])
            return .some(row.dateTime("updated_at"))
        case .labOrders:
            guard let id = row.int("id") else { return nil }
            // A changed order (its results came, or were corrected) wants its results read.
            try db.run(
                sql: """
                    INSERT INTO lab_orders (id, patient_id, doctor_id, status, ordered_at, results_wanted, raw) VALUES (?, ?, ?, ?, ?, 1, ?)
                    ON CONFLICT(id) DO UPDATE SET patient_id = excluded.patient_id, doctor_id = excluded.doctor_id,
                        status = excluded.status, ordered_at = excluded.ordered_at, results_wanted = raw != excluded.raw OR results_wanted,
                        raw = excluded.raw
                    """,
                arguments: [
                    id, row.int("patient"), row.int("doctor"), row.string("status") ?? "", row.dateTime("timestamp")?.description, raw,
                ])
            return .some(nil)
        case .billingProfiles:
            guard let id = row.int("id") else { return nil }
            try db.run(
                sql: "INSERT OR REPLACE INTO billing_profiles VALUES (?, ?, ?, ?)",
                arguments: [id, row.string("name") ?? "", row.bool("archived") ?? false, raw])
            return .some(nil)
        case .workSchedules:
            guard let id = row.int("id") else { return nil }
            try db.run(
                sql: "INSERT OR REPLACE INTO work_schedules VALUES (?, ?, ?, ?)",
                arguments: [id, row.int("doctor"), row.int("office"), raw])
            try WorkHours.store(schedule: id, doctor: row.int("doctor"), office: row.int("office"), row, in: db)
            return .some(nil)
        case .documents:
            guard let d = Document(json: row) else { return nil }
            try db.upsert(
                into: "documents", ["id", "patient_id", "description", "date", "pending", "raw"],
                [d.id, d.patient, d.description, d.date, false, raw])
            return .some(row.dateTime("updated_at"))
        }
    }

    /// DrChrono's `copay` as the mirror keeps it beside the patient (`patients.copay`, read
    /// by ``MirrorQueries/copays(_:patients:)``): a number or a string, as text ("25",
    /// "25.0", "25.00"); nil for anything else.
    static func copayText(_ value: JSONValue) -> String? {
        switch value {
        case .int(let number): String(number)
        case .double(let number): String(number)
        case .string(let text): text
        default: nil
        }
    }

    /// Removes rows DrChrono no longer lists (found by an id reconciliation).
    public static func remove(ids: [String], of resource: MirrorResource, in db: Database) throws {
        for id in ids {
            try db.run(
                sql: "DELETE FROM \(resource.table) WHERE id = ?",
                arguments: [resource.textIds ? DatabaseValue(value: id) : DatabaseValue(value: Int(id))])
            if resource == .patients { try db.run(sql: "DELETE FROM patient_search WHERE patient_id = ?", arguments: [Int(id)]) }
            if resource == .offices { try db.run(sql: "DELETE FROM exam_rooms WHERE office_id = ?", arguments: [Int(id)]) }
            if resource == .workSchedules, let schedule = Int(id) { try WorkHours.remove(schedule: schedule, in: db) }
        }
    }

    /// Every stored id of `resource` DrChrono gave, as text: rows made here and still
    /// queued (a negative local id) are the outbox's, never DrChrono's to remove.
    public static func ids(of resource: MirrorResource, in db: Database) throws -> Set<String> {
        Set(try String.fetchAll(db, sql: "SELECT CAST(id AS TEXT) FROM \(resource.table)" + (resource.textIds ? "" : " WHERE id > 0")))
    }

    /// The stored ids of `resource` on the side of `doctors` (nil: all of them): rows
    /// whose doctor — their own, else their patient's — is one of them. A login that reads
    /// for some doctors may find only their rows gone; a row whose doctor is not known
    /// is nobody's to remove. The practice-wide settings belong to every side.
    public static func ids(of resource: MirrorResource, onSideOf doctors: Set<Int>?, in db: Database) throws -> Set<String> {
        guard let doctors, !resource.isPracticeWide else { return try ids(of: resource, in: db) }
        let list = doctors.sorted().map(String.init).joined(separator: ",")
        let side = """
            COALESCE(json_extract(t.raw, '$.doctor'),
                     (SELECT p.doctor_id FROM patients p WHERE p.id = json_extract(t.raw, '$.patient')))
            """
        return Set(
            try String.fetchAll(
                db,
                sql: "SELECT CAST(t.id AS TEXT) FROM \(resource.table) t WHERE \(side) IN (\(list))"
                    + (resource.textIds ? "" : " AND t.id > 0")))
    }
}
