import DrChronoAPI
import Foundation
import GRDB

/// One lab result as the chart shows it.
public struct LabResult: Sendable, Equatable {
    public var id: Int
    public var order: Int
    public var test: String
    public var value: String
    public var unit: String
    public var range: String
    /// DrChrono's `abnormal_status` ("H", "L", "A" …); empty when within range.
    public var abnormal: String
    public var received: LocalDateTime?
    /// DrChrono's `status` ("F" final, "P" preliminary, "C" corrected); "entered" for a
    /// result entered in the chart by hand.
    public var status: String
    /// For a result entered in the chart: whether the doctor signed it off. Nil for a
    /// lab's electronic result (DrChrono's `lab_results` carry no sign-off).
    public var signedOff: Bool? = nil

    public var isAbnormal: Bool { !abnormal.isEmpty }

    /// DrChrono's abnormal flag with "normal" and "none" as empty.
    public static func flag(_ value: String?) -> String {
        guard let value, !["", "N", "null"].contains(value) else { return "" }
        return value
    }
}

/// The vitals a nurse took at one visit, as DrChrono's verbose appointment carries them.
public struct VisitVitals: Sendable, Equatable {
    public var appointment: String
    public var taken: LocalDateTime?
    public var vitals: JSONObject

    /// Systolic and diastolic, when both were taken.
    public var bloodPressure: (Int, Int)? {
        guard let systolic = vitals.int("blood_pressure_1"), let diastolic = vitals.int("blood_pressure_2") else { return nil }
        return (systolic, diastolic)
    }

    /// Stage 2 hypertension or worse (140/90), to draw the eye.
    public var bloodPressureHigh: Bool { bloodPressure.map { $0.0 >= 140 || $0.1 >= 90 } ?? false }

    public static func == (a: Self, b: Self) -> Bool { a.appointment == b.appointment && a.taken == b.taken && a.vitals == b.vitals }
}

extension MirrorWriter {
    /// Drops what a windowed list keeps no longer: payments received, and lab orders
    /// placed, before the window's first day (a month back). A chart opened again reads
    /// its older labs anew.
    public static func prunable(_ resource: MirrorResource, today: LocalDateTime, in db: Database) throws -> Bool {
        guard let since = resource.window(today: today)?["since"].flatMap(LocalDateTime.init) else { return false }
        switch resource {
        case .patientPayments:
            return try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM patient_payments WHERE received_date < ? AND pending = 0)",
                arguments: [since.dateString]
            ) ?? false
        case .labOrders:
            return try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM lab_orders WHERE ordered_at < ?)", arguments: [since.description])
                ?? false
        default: return false
        }
    }

    public static func prune(_ resource: MirrorResource, today: LocalDateTime, in db: Database) throws {
        guard let since = resource.window(today: today)?["since"].flatMap(LocalDateTime.init) else { return }
        switch resource {
        case .patientPayments:
            try db.run(sql: "DELETE FROM patient_payments WHERE received_date < ? AND pending = 0", arguments: [since.dateString])
        case .labOrders:
            try db.run(
                sql: "DELETE FROM lab_results WHERE order_id IN (SELECT id FROM lab_orders WHERE ordered_at < ?)",
                arguments: [since.description])
            try db.run(sql: "DELETE FROM lab_orders WHERE ordered_at < ?", arguments: [since.description])
        default: break
        }
    }

    /// Stores the results DrChrono sent for lab orders; an order whose results are final
    /// wants no more reading.
    public static func storeLabResults(_ rows: [JSONObject], orders: [Int], in db: Database) throws {
        for row in rows {
            guard let id = row.int("id"), let order = row.int("lab_order") else { continue }
            let flagged = LabResult.flag(row.string("abnormal_status"))
            let abnormal = flagged.isEmpty && row.string("is_abnormal") == "True" ? "A" : flagged
            try db.upsert(
                into: "lab_results", ["id", "order_id", "abnormal", "received_at", "raw"],
                [id, order, abnormal, row.dateTime("specimen_received")?.description, JSONValue.object(row).serializedString])
        }
        for order in orders {
            try db.run(sql: "UPDATE lab_orders SET results_wanted = 0 WHERE id = ? AND status = 'F'", arguments: [order])
        }
    }

    /// Keeps the vitals of the visits DrChrono sent verbose (the rest of each visit is the
    /// appointments list's to store).
    public static func storeVitals(_ appointments: [JSONObject], in db: Database) throws {
        for row in appointments {
            guard let id = row.string("id"), let vitals = row["vitals"]?.objectValue,
                vitals.pairs.contains(where: { $0.value != .null && $0.value != .string("") })
            else { continue }
            try db.upsert(
                into: "visit_vitals", key: "appointment_id", ["appointment_id", "patient_id", "taken_at", "raw"],
                [id, row.int("patient"), row.dateTime("scheduled_time")?.description, JSONValue.object(vitals).serializedString])
        }
    }
}

extension MirrorQueries {
    /// A patient's lab results, newest first: a lab's electronic results and those entered
    /// in the chart by hand.
    public static func labResults(_ db: Database, patient: Int) throws -> [LabResult] {
        let entered = try Row.fetchAll(db, sql: "SELECT id, flag, raw FROM patient_lab_results WHERE patient_id = ?", arguments: [patient])
            .compactMap { row -> LabResult? in
                guard let raw = (row["raw"] as String?).flatMap({ try? JSONValue.parse(Data($0.utf8)) })?.objectValue else { return nil }
                return LabResult(
                    id: row["id"], order: 0, test: raw.string("title") ?? raw.string("loinc_code") ?? "Result",
                    value: raw.string("lab_result_value") ?? "", unit: raw.string("lab_result_value_units") ?? "",
                    range: raw.string("lab_normal_range") ?? "", abnormal: row["flag"],
                    received: raw.dateTime("date_test_performed") ?? raw.dateTime("created_at"), status: "entered",
                    signedOff: raw.bool("doctor_signoff") ?? false)
            }
        let electronic = try Row.fetchAll(
            db,
            sql: """
                SELECT r.id, r.order_id, r.abnormal, r.received_at, r.raw FROM lab_results r JOIN lab_orders o ON o.id = r.order_id
                WHERE o.patient_id = ? ORDER BY r.received_at DESC, r.id
                """, arguments: [patient]
        ).compactMap { row -> LabResult? in
            guard let raw = (row["raw"] as String?).flatMap({ try? JSONValue.parse(Data($0.utf8)) })?.objectValue else { return nil }
            return LabResult(
                id: row["id"], order: row["order_id"],
                test: raw.string("test_performed") ?? raw.string("observation_description") ?? raw.string("observation_code") ?? "Test",
                value: raw.string("value") ?? "", unit: raw.string("unit") ?? "", range: raw.string("normal_range") ?? "",
                abnormal: row["abnormal"], received: (row["received_at"] as String?).flatMap(LocalDateTime.init),
                status: raw.string("status") ?? "")
        }
        let never = LocalDateTime(year: 1, month: 1, day: 1)
        return (entered + electronic).sorted { ($0.received ?? never) > ($1.received ?? never) }
    }

    /// A patient's vitals, the latest visit first.
    public static func vitals(_ db: Database, patient: Int) throws -> [VisitVitals] {
        try Row.fetchAll(
            db, sql: "SELECT appointment_id, taken_at, raw FROM visit_vitals WHERE patient_id = ? ORDER BY taken_at DESC",
            arguments: [patient]
        ).map { row in
            VisitVitals(
                appointment: row["appointment_id"], taken: (row["taken_at"] as String?).flatMap(LocalDateTime.init),
                vitals: (row["raw"] as String?).flatMap { try? JSONValue.parse(Data($0.utf8)) }?.objectValue ?? [:])
        }
    }

    /// The lab orders whose results are still to read, for the given patients (the day's).
    /// In the order of `patients` (the day's, the earliest visit first), so a pass that
    /// reads only some reads those seen soonest.
    public static func ordersWantingResults(_ db: Database, patients: [Int]) throws -> [Int] {
        guard !patients.isEmpty else { return [] }
        let place = Dictionary(patients.enumerated().map { ($0.element, $0.offset) }, uniquingKeysWith: { first, _ in first })
        return try Row.fetchAll(
            db,
            sql:
                "SELECT id, patient_id FROM lab_orders WHERE results_wanted = 1 AND patient_id IN (\(databaseQuestionMarks(count: patients.count)))",
            arguments: StatementArguments(patients)
        )
        .sorted { (place[$0["patient_id"] as Int] ?? 0, $0["id"] as Int) < (place[$1["patient_id"] as Int] ?? 0, $1["id"] as Int) }
        .map { $0["id"] }
    }

    /// The patients with visits on `day` (not breaks, not cancelled), the earliest visit first.
    public static func patientsSeen(_ db: Database, day: String) throws -> [Int] {
        try Int.fetchAll(
            db,
            sql: """
                SELECT patient_id FROM appointments
                WHERE day = ? AND patient_id IS NOT NULL AND is_break = 0 AND deleted = 0 AND status NOT IN ('Cancelled', 'Rescheduled')
                GROUP BY patient_id ORDER BY MIN(scheduled_time), patient_id
                """, arguments: [day])
    }
}

/// One of a clinician's visits today, with what is new in the patient's labs.
public struct DayVisit: Sendable, Equatable {
    public var appointment: Appointment
    public var patientName: String
    /// Results received since this person last opened the chart (within the last month).
    public var newResults = 0
    /// How many of those are out of range.
    public var newAbnormal = 0
}

extension MirrorQueries {
    /// The day's visits of `doctors` (every doctor's when empty), breaks and cancellations
    /// left out, each with the results new to the person at this console: received since
    /// they last opened the chart (the audit trail's `chart.open`), at most a month back.
    public static func myDay(_ db: Database, day: LocalDateTime, doctors: [Int], zone: TimeZone) throws -> [DayVisit] {
        let visits = try daySchedule(db, day: day.dateString, doctors: doctors.isEmpty ? nil : doctors).filter {
            !$0.isBreak && $0.patient != nil && $0.isOnTheDay
        }
        let names = try patientNames(db, ids: Set(visits.compactMap(\.patient)))
        let person = try AuditTrail.sessionPerson(db)
        let monthAgo = day.adding(days: -31)
        var lastLooked: [Int: LocalDateTime?] = [:]
        return try visits.map { visit in
            let patient = visit.patient!
            if lastLooked[patient] == nil {
                let at = try String.fetchOne(
                    db,
                    sql: """
                        SELECT MAX(at) FROM audit WHERE event = 'chart.open' AND patient = ?
                        AND (person = ? OR (? IS NULL AND person IS NULL AND os_user = ?))
                        """, arguments: [patient, person?.name, person?.name, AuditTrail.osUser])
                lastLooked[patient] = at.flatMap { ISO8601DateFormatter().date(from: $0) }.map { LocalDateTime($0, in: zone) }
            }
            let since = max(monthAgo, (lastLooked[patient] ?? nil) ?? monthAgo)
            var row = DayVisit(appointment: visit, patientName: names[patient] ?? "Patient \(patient)")
            let counts = try Row.fetchOne(
                db,
                sql: """
                    SELECT COUNT(*) AS new, SUM(r.abnormal != '') AS abnormal FROM lab_results r JOIN lab_orders o ON o.id = r.order_id
                    WHERE o.patient_id = ? AND r.received_at > ?
                    """, arguments: [patient, since.description])
            let entered = try Row.fetchOne(
                db,
                sql: "SELECT COUNT(*) AS new, SUM(flag != '') AS abnormal FROM patient_lab_results WHERE patient_id = ? AND entered_at > ?",
                arguments: [patient, since.description])
            row.newResults = (counts?["new"] ?? 0) + (entered?["new"] ?? 0)
            row.newAbnormal = (counts?["abnormal"] ?? 0) + (entered?["abnormal"] ?? 0)
            return row
        }
    }
}
