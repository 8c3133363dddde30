import DrChronoAPI
import Foundation

/// Everything the sandbox practice holds: DrChrono's database, in memory.
struct Practice: Sendable {
    var doctors = Table<DoctorRecord>()
    var offices = Table<OfficeRecord>()
    var profiles = Table<ProfileRecord>()
    var patients = Table<PatientRecord>()
    var appointments = Table<AppointmentRecord>()
    var notes = Table<ClinicalNoteRecord>()
    var fieldTypes = Table<FieldTypeRecord>()
    var problems = Table<ProblemRecord>()
    var medications = Table<MedicationRecord>()
    var allergies = Table<AllergyRecord>()
    var lineItems = Table<LineItemRecord>()
    var documents = Table<DocumentRecord>()
    var payments = Table<PaymentRecord>()
    /// Line items voided through the API, oldest first: `/api/line_item_deletions`.
    var lineItemDeletions: [LineItemDeletion] = []
    var workSchedules = Table<WorkScheduleRecord>()
    var feeSchedules = Table<FeeScheduleRecord>()
    var billingProfiles = Table<BillingProfileRecord>()
    var labOrders = Table<LabOrderRecord>()
    var labResults = Table<LabResultRecord>()
    var patientLabResults = Table<PatientLabResultRecord>()
    var claimNotes = Table<ClaimNoteRecord>()

    /// Appointment ids by day (`LocalDateTime.dayNumber`), so a day's schedule is found
    /// without scanning a million rows.
    private(set) var appointmentsByDay: [Int: [Int]] = [:]
    /// Appointment ids by the day of their `updated_at`: a `since` a few minutes back (a
    /// sync's poll) reads today's changes, not a million rows.
    private(set) var appointmentsUpdatedOn: [Int: Set<Int>] = [:]
    /// Note id by appointment id.
    private(set) var noteByAppointment: [Int: Int] = [:]

    /// The practice's first user, who signs in unless another is named: front desk.
    var currentUserId = 1
    var currentUserName = "frontdesk"
    /// The practice's DrChrono users (its staff's logins): the first is who signs in
    /// unless the authorize link names another (`sandbox_user`).
    var staff: [StaffUser] = [
        "frontdesk", "frontdesk2", "billing1", "billing2", "clinician1", "clinician2",
    ].enumerated().map { StaffUser(id: $0.offset + 1, username: $0.element) }
    /// The practice group's "share_patients": on, every user sees every doctor's rows;
    /// off, each sees their primary doctor's (``visibility(of:)``).
    var sharePatients = true

    /// The user signing in: the first when `name` is nil; nil when no user has that name.
    func staffId(named name: String?) -> Int? {
        guard let name, !name.isEmpty else { return staff.first?.id }
        return staff.first { $0.username == name }?.id
    }

    mutating func insertAppointment(_ appointment: AppointmentRecord) {
        if let old = appointments[appointment.id] {
            appointmentsByDay[old.scheduledTime.dayNumber]?.removeAll { $0 == old.id }
            appointmentsUpdatedOn[old.updatedAt.dayNumber]?.remove(old.id)
        }
        appointments.insert(appointment, id: appointment.id)
        appointmentsByDay[appointment.scheduledTime.dayNumber, default: []].append(appointment.id)
        appointmentsUpdatedOn[appointment.updatedAt.dayNumber, default: []].insert(appointment.id)
    }

    mutating func updateAppointment(_ id: Int, _ change: (inout AppointmentRecord) -> Void) -> AppointmentRecord? {
        guard var appointment = appointments[id] else { return nil }
        change(&appointment)
        insertAppointment(appointment)
        return appointment
    }

    mutating func insertNote(_ note: ClinicalNoteRecord) {
        notes.insert(note, id: note.id)
        noteByAppointment[note.appointment] = note.id
    }

    func note(forAppointment id: Int) -> ClinicalNoteRecord? {
        noteByAppointment[id].flatMap { notes[$0] }
    }

    /// Appointments updated on or after `since`'s day (a superset of those updated since it).
    func appointmentIds(updatedSince since: LocalDateTime) -> [Int] {
        appointmentsUpdatedOn.filter { $0.key >= since.dayNumber }.flatMap(\.value)
    }

    func appointmentIds(onDays days: ClosedRange<Int>) -> [Int] {
        if days.count > appointmentsByDay.count {
            return appointmentsByDay.filter { days.contains($0.key) }.flatMap(\.value)
        }
        return days.flatMap { appointmentsByDay[$0] ?? [] }
    }

    /// Appointments of `doctor` (or in `room` of `office`) that overlap the given time,
    /// other than `excluding`: what DrChrono answers 409 for.
    func overlapping(doctor: Int, office: Int, room: Int, start: LocalDateTime, minutes: Int, excluding: Int?) -> [AppointmentRecord] {
        let end = start.adding(minutes: minutes)
        let day = start.dayNumber
        return (appointmentsByDay[day] ?? []).compactMap { appointments[$0] }.filter { other in
            other.id != excluding && other.blocksTime
                && (other.doctor == doctor || (other.office == office && other.examRoom == room))
                && other.scheduledTime < end && start < other.endTime
        }
    }
}
