/// One of the practice's DrChrono users: a login, and what DrChrono lets the tokens it
/// grants see and change (API-NOTES: "a token sees only what the granting user may
/// see").
struct StaffUser: Sendable, Equatable {
    var id: Int
    var username: String
    /// Their primary doctor; nil: the practice's first.
    var doctor: Int?
    /// DrChrono's "Appointment Provider Selection": on, they schedule for every doctor
    /// they see; off, for their primary doctor alone.
    var providerSelection = true
    /// The practice group's administrator: sees every doctor's rows, whatever the group
    /// shares.
    var practiceAdmin = false
    /// Their practice group: ``Practice/group`` is this practice; another is a practice
    /// elsewhere, whose tokens see none of this one.
    var practiceGroup = Practice.group
}

/// Which doctors' rows a token sees.
enum Visibility: Equatable {
    /// Every doctor of the practice group.
    case practice
    /// These doctors' rows only (none for a user of another practice group).
    case doctors(Set<Int>)

    func sees(_ doctor: Int) -> Bool {
        switch self {
        case .practice: true
        case .doctors(let doctors): doctors.contains(doctor)
        }
    }

    /// Whether a row of a list is shown: rows that belong to a doctor are shown to
    /// those who see that doctor; the practice's settings (offices, visit types) to all.
    /// (Another practice group's user reaches no list of this one: `SandboxState.api`.)
    func admits<Row>(_ row: Row) -> Bool {
        guard case .doctors(let doctors) = self, let owned = row as? any DoctorOwned else { return true }
        return doctors.contains(owned.doctor)
    }
}

/// A record that belongs to one doctor's side of the practice: listed, read and changed
/// only through a token whose user sees that doctor.
protocol DoctorOwned { var doctor: Int { get } }

extension PatientRecord: DoctorOwned {}
extension AppointmentRecord: DoctorOwned {}
extension ClinicalNoteRecord: DoctorOwned {}
extension ProblemRecord: DoctorOwned {}
extension MedicationRecord: DoctorOwned {}
extension AllergyRecord: DoctorOwned {}
extension LineItemRecord: DoctorOwned {}
extension DocumentRecord: DoctorOwned {}
extension PaymentRecord: DoctorOwned {}
extension WorkScheduleRecord: DoctorOwned {}
extension FeeScheduleRecord: DoctorOwned {}
extension PatientLabResultRecord: DoctorOwned {}
extension LabOrderRecord: DoctorOwned {}
extension LabResultRecord: DoctorOwned {}

extension Practice {
    /// The practice group every generated user and record belongs to.
    static let group = 1

    func staffUser(_ id: Int) -> StaffUser? { staff.first { $0.id == id } }

    /// The doctor a user's records and schedule default to.
    func primaryDoctor(of user: StaffUser) -> Int { user.doctor ?? doctors.ids.first ?? 0 }

    /// What the tokens `user` granted see: everything while the group shares patients
    /// (its "share_patients" setting, on unless changed) or for its administrator; their
    /// primary doctor's rows otherwise; nothing of this practice for another group's user.
    func visibility(of user: Int) -> Visibility {
        guard let person = staffUser(user), person.practiceGroup == Practice.group else { return .doctors([]) }
        if sharePatients || person.practiceAdmin { return .practice }
        return .doctors([primaryDoctor(of: person)])
    }

    /// Whether `user`'s tokens may book, move or cancel `doctor`'s visits.
    func schedules(_ user: Int, for doctor: Int) -> Bool {
        guard let person = staffUser(user), visibility(of: user).sees(doctor) else { return false }
        return person.providerSelection || person.practiceAdmin || primaryDoctor(of: person) == doctor
    }

    /// The doctor a stored row of `resource` belongs to; nil when there is no such row
    /// (or the resource's rows belong to no doctor).
    func owner(of resource: String, id: Int) -> Int? {
        switch resource {
        case "appointments": appointments[id]?.doctor
        case "patients": patients[id]?.doctor
        case "line_items": lineItems[id]?.doctor
        case "documents": documents[id]?.doctor
        case "clinical_notes": notes[id]?.doctor
        case "problems": problems[id]?.doctor
        case "medications": medications[id]?.doctor
        case "allergies": allergies[id]?.doctor
        default: nil
        }
    }
}
