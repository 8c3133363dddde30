import DrChronoAPI

// The sandbox's records: what DrChrono's database would hold, typed, compact enough
// that the `large` practice (a million appointments) fits in memory. Each is turned
// into wire JSON by its serializer (Serializers.swift), never by Codable, so the wire
// types follow DrChrono's OpenAPI file exactly (an appointment id is a string there).

struct DoctorRecord: Sendable {
    var id: Int
    var firstName: String, lastName: String, suffix: String
    var specialty: String, email: String, npi: String, officePhone: String
    var updatedAt: LocalDateTime
}

struct ExamRoom: Sendable { var index: Int; var name: String; var onlineScheduling: Bool }

struct OfficeRecord: Sendable {
    var id: Int
    var name: String, address: String, city: String, state: String, zip: String, phone: String
    var doctor: Int
    var examRooms: [ExamRoom]
    var startTime: String, endTime: String  // "08:00", opening hours
    var archived: Bool
    var updatedAt: LocalDateTime
}

struct ProfileRecord: Sendable {
    var id: Int
    var name: String, color: String, reason: String
    var duration: Int, doctor: Int?, sortOrder: Int
    var archived: Bool
    var updatedAt: LocalDateTime
}

struct PatientRecord: Sendable {
    var id: Int
    var chartId: String
    var firstName: String, middleName: String, lastName: String, nickName: String
    var dateOfBirth: String?  // YYYY-MM-DD
    var gender: String
    var email: String, cellPhone: String, homePhone: String
    var address: String, city: String, state: String, zip: String
    var doctor: Int
    var offices: [Int]
    var patientStatus: String
    var preferredLanguage: String
    var copay: String?
    var createdAt: LocalDateTime, updatedAt: LocalDateTime
    /// Insurance as written through the API; nil: as generated.
    var cards: PatientCards? = nil

    /// The insurance DrChrono shows on the patient.
    var insurance: PatientCards {
        cards ?? PatientCards(primary: SyntheticPayers.primary(for: id) ?? InsuranceRecord(), secondary: InsuranceRecord())
    }
}

struct AppointmentRecord: Sendable {
    var id: Int
    var doctor: Int, office: Int, examRoom: Int
    var patient: Int?  // nil for a break
    var scheduledTime: LocalDateTime
    var duration: Int
    var status: String
    var reason: String, notes: String
    var profile: Int?
    var isBreak: Bool
    var isWalkIn: Bool
    var allowOverlapping: Bool
    var deleted: Bool
    var icd10Codes: [String]
    var color: String
    var createdAt: LocalDateTime, updatedAt: LocalDateTime
    /// Where the visit's claim stands, as the biller set it ("Bill Insurance" …).
    var billingStatus = ""
    /// Where the claim stands with the primary and secondary insurer, and when it was
    /// last sent (DrChrono sets these; read-only for a client).
    var ins1Status = "", ins2Status = ""
    var lastBilledDate: String?

    var endTime: LocalDateTime { scheduledTime.adding(minutes: duration) }

    /// Whether it holds the doctor's time (a cancelled or deleted one frees the slot).
    var blocksTime: Bool { !deleted && status != "Cancelled" && status != "Rescheduled" }
}

struct NoteValue: Sendable { var id: Int; var field: Int; var value: String }
struct NoteSection: Sendable { var name: String; var template: Int; var values: [NoteValue] }

struct ClinicalNoteRecord: Sendable {
    var id: Int
    var appointment: Int
    var patient: Int, doctor: Int, office: Int
    var sections: [NoteSection]
    var lockedBy: String?  // the signing user's name once locked
    var archived: Bool
    var createdAt: LocalDateTime, updatedAt: LocalDateTime
}

struct FieldTypeRecord: Sendable {
    var id: Int
    var template: Int
    var name: String
    var dataType: String
    var allowMultiple: Bool
    var archived: Bool
}

struct ProblemRecord: Sendable {
    var id: Int
    var patient: Int, doctor: Int, appointment: Int?
    var name: String, icdCode: String
    var status: String
    var dateOnset: String?, dateDiagnosis: String?
    var notes: String
    var updatedAt: LocalDateTime
}

struct MedicationRecord: Sendable {
    var id: Int
    var patient: Int, doctor: Int, appointment: Int?
    var name: String, rxnorm: String
    var dosageQuantity: String, dosageUnits: String, frequency: String, route: String
    var status: String
    var datePrescribed: String?, dateStartedTaking: String?, dateStoppedTaking: String?
    var numberRefills: Int
    var notes: String
    var updatedAt: LocalDateTime
}

struct AllergyRecord: Sendable {
    var id: Int
    var patient: Int, doctor: Int
    var description: String, reaction: String
    var status: String
    var notes: String
    var updatedAt: LocalDateTime
}

struct LineItemRecord: Sendable {
    var id: Int
    var appointment: Int
    var patient: Int, doctor: Int
    var code: String
    var procedureType: String
    var description: String
    var modifiers: [String]
    var diagnosisPointers: [String]
    var units: String
    var quantity: Double
    var price: Double
    var serviceDate: String
    var postedDate: String?
    var billingStatus: String
    var createdAt: LocalDateTime, updatedAt: LocalDateTime
    /// The insurer answered the claim (visits billed more than a week ago): it
    /// allowed four fifths of the charge and paid four fifths of that, the patient paid
    /// the rest, and the difference was written off — or, for one line in seventeen, it
    /// denied the line and the allowed amount is the patient's to pay.
    var adjudicated = false

    var isDenied: Bool { adjudicated && id % 17 == 0 }
}

struct DocumentRecord: Sendable {
    var id: Int
    var patient: Int, doctor: Int
    var description: String
    var date: String
    var metatags: [String]
    var fileName: String
    var contentType: String
    var bytes: [UInt8]
    var archived: Bool
    var updatedAt: LocalDateTime
}

/// A line item voided (deleted), as `/api/line_item_deletions` reports it.
struct LineItemDeletion: Sendable {
    var lineItem: Int
    var appointment: Int
    var at: LocalDateTime

    var json: JSONValue {
        .object([
            "billing_line_item_id": .int(lineItem), "appointment_id": .int(appointment), "created_at": .string(at.description),
        ])
    }
}
