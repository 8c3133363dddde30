import DrChronoAPI

/// A write waiting in the outbox, as the practice asked for it. Its case decides its
/// ``WriteKind``; every switch over it is exhaustive, so a new write makes the compiler
/// name each place that must learn to queue, send, find again and confirm it.
///
/// Stored as its kind and DrChrono's fields (`QueuedWrite+Stored.swift` is the one
/// place that knows the keys); `Codable` as `{"kind": …, "fields": {…}}` for a surface
/// that hands a queued write out (the MCP server, the export).
public enum QueuedWrite: Sendable, Equatable {
    /// A booking (`POST /api/appointments`); its notes end with the entry's marker.
    case book(Outbox.Booking)
    /// A status, a move or the visit's notes (`PATCH /api/appointments/{id}`).
    case changeVisit(VisitChange)
    /// The visit's claim status, as "Bill Insurance" (`PATCH /api/appointments/{id}`).
    case claimStatus(String)
    /// A note on the visit's claim, its marker at the end (`POST /api/claim_billing_notes`).
    case claimNote(String)
    /// A cancellation that removes the visit (`DELETE /api/appointments/{id}`).
    case removeVisit
    /// A charge on the visit (`POST /api/line_items`), shown here under a local id.
    case charge(Outbox.Charge, local: LocalRecord)
    /// A charge corrected: only what changed (`PATCH /api/line_items/{id}`).
    case fixCharge(lineItem: Int, ChargeChange)
    /// A charge voided (`DELETE /api/line_items/{id}`).
    case voidCharge(lineItem: Int, code: String)
    /// A scan or photo for a chart (`POST /api/documents`); the file waits beside it.
    case attach(Attachment, local: LocalRecord)
    /// A new patient (`POST /api/patients`), shown here under a local id.
    case register(PatientFields, localId: Int)
    /// A change of a patient's record: only what changed (`PATCH /api/patients/{id}`).
    case changePatient(PatientFields)
    /// A payment (`POST /api/patient_payments`); its notes end with the entry's marker.
    case payment(Outbox.Payment, receivedDate: String, local: LocalRecord)

    /// What the write does at DrChrono.
    public var kind: WriteKind {
        switch self {
        case .book: .appointmentCreate
        case .changeVisit: .appointmentUpdate
        case .claimStatus: .appointmentBillingStatus
        case .claimNote: .claimNoteCreate
        case .removeVisit: .appointmentDelete
        case .charge: .lineItemCreate
        case .fixCharge: .lineItemUpdate
        case .voidCharge: .lineItemDelete
        case .attach: .documentCreate
        case .register: .patientCreate
        case .changePatient: .patientUpdate
        case .payment: .paymentCreate
        }
    }

    /// The id the mirror shows a create under until DrChrono assigns one (negative).
    public var localId: Int? {
        switch self {
        case .charge(_, let local), .attach(_, let local), .payment(_, _, let local): local.id
        case .register(_, let id): id
        case .book, .changeVisit, .claimStatus, .claimNote, .removeVisit, .fixCharge, .voidCharge, .changePatient: nil
        }
    }

    /// The charge a correction or a void is for.
    public var lineItem: Int? {
        switch self {
        case .fixCharge(let id, _), .voidCharge(let id, _): id
        case .book, .changeVisit, .claimStatus, .claimNote, .removeVisit, .charge, .attach, .register, .changePatient, .payment: nil
        }
    }

    /// The patient a booking, an upload or a payment is for (a negative local id until
    /// DrChrono confirms their registration).
    public var patient: Int? {
        switch self {
        case .book(let booking): booking.patient
        case .attach(let attachment, _): attachment.patient
        case .payment(let payment, _, _): payment.patient
        case .changeVisit, .claimStatus, .claimNote, .removeVisit, .charge, .fixCharge, .voidCharge, .register, .changePatient: nil
        }
    }

    /// A charge's or an upload's siblings at DrChrono before it was sent, so a new one
    /// is recognised after a lost answer (they carry no marker).
    public var knownIds: Set<Int>? {
        switch self {
        case .charge(_, let local), .attach(_, let local): local.knownIds
        case .book, .changeVisit, .claimStatus, .claimNote, .removeVisit, .fixCharge, .voidCharge, .register, .changePatient, .payment:
            nil
        }
    }

    /// The same write, with its siblings noted (a charge or an upload; others as they are).
    public func noting(knownIds ids: Set<Int>) -> QueuedWrite {
        switch self {
        case .charge(let charge, var local):
            local.knownIds = ids
            return .charge(charge, local: local)
        case .attach(let attachment, var local):
            local.knownIds = ids
            return .attach(attachment, local: local)
        case .book, .changeVisit, .claimStatus, .claimNote, .removeVisit, .fixCharge, .voidCharge, .register, .changePatient, .payment:
            return self
        }
    }
}

/// A create shown in the mirror before DrChrono has it.
public struct LocalRecord: Sendable, Equatable {
    /// Its id here: negative, replaced by DrChrono's when the create is confirmed.
    public var id: Int
    /// Its siblings at DrChrono just before it was sent (nil: not looked at yet).
    public var knownIds: Set<Int>?

    public init(id: Int, knownIds: Set<Int>? = nil) { (self.id, self.knownIds) = (id, knownIds) }
}

/// What a change of a visit sets; nil leaves a field as it is.
public struct VisitChange: Sendable, Equatable {
    public var status: String?
    public var scheduledTime: LocalDateTime?
    public var examRoom: Int?
    public var doctor: Int?
    public var notes: String?
    public var allowOverlapping = false

    public init(
        status: String? = nil, scheduledTime: LocalDateTime? = nil, examRoom: Int? = nil, doctor: Int? = nil, notes: String? = nil,
        allowOverlapping: Bool = false
    ) {
        (self.status, self.scheduledTime, self.examRoom, self.doctor, self.notes) = (status, scheduledTime, examRoom, doctor, notes)
        self.allowOverlapping = allowOverlapping
    }

    /// Whether it changes nothing.
    public var isEmpty: Bool { status == nil && scheduledTime == nil && examRoom == nil && doctor == nil && notes == nil }
}

/// What a correction of a charge sets; nil leaves a field as it is.
public struct ChargeChange: Sendable, Equatable {
    public var code: String?
    public var procedureType: String?
    public var modifiers: [String]?
    public var diagnosisPointers: [String]?
    public var quantity: Double?
    public var price: Money?

    public init(
        code: String? = nil, procedureType: String? = nil, modifiers: [String]? = nil, diagnosisPointers: [String]? = nil,
        quantity: Double? = nil, price: Money? = nil
    ) {
        (self.code, self.procedureType, self.modifiers, self.diagnosisPointers) = (code, procedureType, modifiers, diagnosisPointers)
        (self.quantity, self.price) = (quantity, price)
    }

    /// The fields of `new` that differ from `old`.
    public init(from old: Outbox.Charge, to new: Outbox.Charge) {
        if new.code != old.code { code = new.code }
        if new.procedureType != old.procedureType { procedureType = new.procedureType }
        if new.modifiers != old.modifiers { modifiers = new.modifiers }
        if new.diagnosisPointers != old.diagnosisPointers { diagnosisPointers = new.diagnosisPointers }
        if new.quantity != old.quantity { quantity = new.quantity }
        if new.priceCents != old.priceCents { price = Money(cents: new.priceCents) }
    }

    /// Whether it changes nothing.
    public var isEmpty: Bool {
        code == nil && procedureType == nil && modifiers == nil && diagnosisPointers == nil && quantity == nil && price == nil
    }
}

/// A document's fields as DrChrono takes them with the file.
public struct Attachment: Sendable, Equatable {
    public var patient: Int, doctor: Int
    public var description: String
    /// `YYYY-MM-DD`.
    public var date: String

    public init(patient: Int, doctor: Int, description: String, date: String) {
        (self.patient, self.doctor, self.description, self.date) = (patient, doctor, description, date)
    }
}

/// A patient's record as DrChrono's fields: names, birth date, sex, address, phones and
/// insurance cards (objects). Kept as DrChrono's object — the form is the practice's
/// whole demographic page — with the fields the queue itself must read typed.
public struct PatientFields: Sendable, Equatable {
    public var fields: JSONObject

    public init(_ fields: JSONObject) { self.fields = fields }

    public var firstName: String { fields.string("first_name") ?? "" }
    public var lastName: String { fields.string("last_name") ?? "" }
    /// `YYYY-MM-DD`, or empty.
    public var dateOfBirth: String { fields.string("date_of_birth") ?? "" }
    public var isEmpty: Bool { fields.isEmpty }

    /// The same fields with the same values, in whatever order they were set.
    public static func == (a: PatientFields, b: PatientFields) -> Bool {
        Set(a.fields.keys) == Set(b.fields.keys) && a.fields.keys.allSatisfy { a.fields[$0] == b.fields[$0] }
    }
}
