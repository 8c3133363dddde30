import DrChronoAPI
import Practice

/// The tools the practice offers an agent: the day's reads, answered from the local copy
/// at no request, and the day's jobs, each previewed first and queued only when the
/// preview's token comes back through `confirm`.
public enum AgentTool: String, CaseIterable, Sendable {
    // Reads.
    case schedule
    case freeSlots = "free_slots"
    case searchPatients = "search_patients"
    case patientSummary = "patient_summary"
    case visit
    case clinicalNote = "clinical_note"
    case confirmationList = "confirmation_list"
    case dayTotals = "day_totals"
    case copyState = "copy_state"
    case writeQueue = "write_queue"
    // Jobs (previewed, then confirmed).
    case book, move
    case setStatus = "set_status"
    case cancel
    case registerPatient = "register_patient"
    case editPatient = "edit_patient"
    case takePayment = "take_payment"
    case addCharge = "add_charge"
    case correctCharge = "correct_charge"
    case voidCharge = "void_charge"
    case claimStatus = "claim_status"
    case claimNote = "claim_note"
    // The second step, and the undo.
    case confirm
    case cancelWrite = "cancel_write"

    /// What the tool changes, if anything: the role must be allowed to change it.
    var area: WorkArea? {
        switch self {
        case .book, .move, .setStatus, .cancel: .schedule
        case .registerPatient, .editPatient: .patients
        case .takePayment, .addCharge, .correctCharge, .voidCharge, .claimStatus, .claimNote: .billing
        case .schedule, .freeSlots, .searchPatients, .patientSummary, .visit, .clinicalNote, .confirmationList, .dayTotals,
            .copyState, .writeQueue, .confirm, .cancelWrite:
            nil
        }
    }

    /// Whether it is one of the day's jobs, answered with a preview and a token.
    var isJob: Bool { area != nil }

    /// Whether it changes anything at all (`--read-only` lists none of these).
    var writes: Bool { isJob || self == .confirm || self == .cancelWrite }

    /// Whether what it does takes something away (a visit, a charge, a queued write).
    var isDestructive: Bool { [.cancel, .voidCharge, .cancelWrite, .confirm].contains(self) }

    /// Whether `person` sees this tool: a read-only server lists no writes; a role lists
    /// only the jobs it may do; clinical notes only for the roles that read them.
    func offered(to person: ActingPerson, readOnly: Bool) -> Bool {
        if writes && readOnly { return false }
        if let area { return person.may(area) }
        if self == .clinicalNote { return person.role.readsClinicalNotes }
        if self == .confirm || self == .cancelWrite { return !person.writes.isEmpty }
        return true
    }

    var summary: String {
        switch self {
        case .schedule: "A day's visits (by doctor or office), from the local copy: time, patient, status, reason, room."
        case .freeSlots: "The first free slots for a doctor (or any) and a visit length, from the local copy."
        case .searchPatients: "Patients by name (either order), chart id, birth date or phone: at most 20, few fields."
        case .patientSummary:
            "A patient's demographics, problems, medications, allergies, insurance and latest eligibility, and their next visits."
        case .visit: "A visit with its charges, totals, billing status and claim notes."
        case .clinicalNote: "A patient's clinical note (the latest, or by id): its sections and values."
        case .confirmationList: "The visits of a day (tomorrow unless said) still to confirm, with phones and coverage flags."
        case .dayTotals: "A day's charges and payments per office and doctor."
        case .copyState: "How fresh the local copy is, the hour's requests left, and the writes queued or refused."
        case .writeQueue: "Your writes waiting to reach DrChrono (and any it refused), with their numbers for cancel_write."
        case .book: "Book a visit. Answers what would happen and a token; nothing is booked until confirm."
        case .move: "Move a visit to another time, room or doctor (preview, then confirm)."
        case .setStatus: "Set a visit's status: Confirmed, Arrived, Checked In, In Room, Complete, No Show … (preview, then confirm)."
        case .cancel: "Cancel a visit (preview, then confirm)."
        case .registerPatient: "Register a new patient (preview, then confirm)."
        case .editPatient: "Change a patient's phones, email or address (preview, then confirm)."
        case .takePayment: "Record a payment from a patient, for a visit or their account (preview, then confirm)."
        case .addCharge: "Add a charge (CPT/HCPCS code with ICD-10 diagnoses) to a visit (preview, then confirm)."
        case .correctCharge: "Correct a charge's code, price, quantity, modifiers or diagnoses (preview, then confirm)."
        case .voidCharge: "Void a charge (preview, then confirm)."
        case .claimStatus: "Set a visit's billing status, e.g. Bill Insurance (preview, then confirm)."
        case .claimNote: "Write a note on a visit's claim (preview, then confirm)."
        case .confirm: "Queue a previewed job: pass the token its preview gave. Once, before it expires."
        case .cancelWrite: "Take one of your writes out of the queue before it is sent (or one DrChrono refused): the undo."
        }
    }
}
