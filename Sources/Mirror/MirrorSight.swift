/// The part of the practice one person reads: the doctors whose side their DrChrono
/// login sees (a person mapped to a grant). A console, agent session or day sheet opened
/// with a sight reads the mirror through it: each reading connection gets TEMP views
/// named like the practice's tables — SQLite resolves a name in `temp` before `main` —
/// that hold only that side's rows. Every query of every screen is narrowed by this one
/// rule, and none can forget it; the writer (the jobs, the sync) sees the tables.
///
/// A row's side is its visit's doctor, else its patient's: what DrChrono shows a user who
/// sees only their primary doctor.
public struct MirrorSight: Sendable, Equatable {
    /// The doctors whose rows are read.
    public var doctors: Set<Int>

    public init(doctors: Set<Int>) { self.doctors = doctors }

    /// The TEMP views, in an order where each names only tables of `main`.
    var views: [String] {
        let list = "(" + (doctors.isEmpty ? "NULL" : doctors.sorted().map(String.init).joined(separator: ",")) + ")"
        let patients = "(SELECT id FROM main.patients WHERE doctor_id IN \(list))"
        let visits = "(SELECT id FROM main.appointments WHERE doctor_id IN \(list))"
        let sides: [(table: String, rows: String)] = [
            ("patients", "doctor_id IN \(list)"),
            ("patient_search", "patient_id IN \(patients)"),
            ("appointments", "doctor_id IN \(list)"),
            ("clinical_notes", "appointment_id IN \(visits) OR (appointment_id IS NULL AND patient_id IN \(patients))"),
            ("problems", "patient_id IN \(patients)"),
            ("medications", "patient_id IN \(patients)"),
            ("allergies", "patient_id IN \(patients)"),
            ("documents", "patient_id IN \(patients)"),
            ("line_items", "appointment_id IN \(visits)"),
            ("line_item_deletions", "appointment_id IN \(visits)"),
            ("claim_notes", "appointment_id IN \(visits)"),
            ("eligibility_checks", "appointment_id IN \(visits)"),
            ("visit_vitals", "patient_id IN \(patients)"),
            ("patient_payments", "COALESCE(doctor_id, (SELECT p.doctor_id FROM main.patients p WHERE p.id = patient_id)) IN \(list)"),
            ("lab_orders", "patient_id IN \(patients)"),
            ("lab_results", "order_id IN (SELECT id FROM main.lab_orders WHERE patient_id IN \(patients))"),
            ("patient_lab_results", "patient_id IN \(patients)"),
            ("work_schedules", "doctor_id IN \(list)"),
            ("work_hours", "doctor_id IN \(list)"),
            ("fee_schedules", "doctor_id IS NULL OR doctor_id IN \(list)"),
        ]
        return sides.map { "CREATE TEMP VIEW IF NOT EXISTS \($0.table) AS SELECT * FROM main.\($0.table) WHERE \($0.rows)" }
    }
}
