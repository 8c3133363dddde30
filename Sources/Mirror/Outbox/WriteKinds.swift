import GRDB

/// What a queued write does at DrChrono. Stored in the outbox by its raw value; every
/// switch over it is exhaustive, so a new kind makes the compiler name each place that
/// must learn to check, send, confirm, reconcile and discard it.
public enum WriteKind: String, Sendable, CaseIterable, DatabaseValueConvertible {
    /// A booking (`POST /api/appointments`).
    case appointmentCreate = "appointment.create"
    /// A status change or a move (`PATCH /api/appointments/{id}`).
    case appointmentUpdate = "appointment.update"
    /// The visit's claim status set, as "Bill Insurance" (`PATCH /api/appointments/{id}`).
    case appointmentBillingStatus = "appointment.billing_status"
    /// A note on the visit's claim (`POST /api/claim_billing_notes`).
    case claimNoteCreate = "claim_note.create"
    /// A cancellation that removes the visit (`DELETE /api/appointments/{id}`).
    case appointmentDelete = "appointment.delete"
    /// A charge (`POST /api/line_items`).
    case lineItemCreate = "line_item.create"
    /// A charge corrected: code, price, modifiers, diagnoses (`PATCH /api/line_items/{id}`).
    case lineItemUpdate = "line_item.update"
    /// A charge voided (`DELETE /api/line_items/{id}`).
    case lineItemDelete = "line_item.delete"
    /// A scan or photo for a chart (`POST /api/documents`).
    case documentCreate = "document.create"
    /// A new patient, with their insurance (`POST /api/patients`).
    case patientCreate = "patient.create"
    /// A change of a patient's demographics or insurance (`PATCH /api/patients/{id}`).
    case patientUpdate = "patient.update"
    /// A payment a patient made: a copay at check-in (`POST /api/patient_payments`).
    case paymentCreate = "payment.create"

    /// Whether the write makes something new at DrChrono, which must be found again —
    /// never made twice — when the answer to it was lost.
    public var creates: Bool {
        switch self {
        case .appointmentCreate, .lineItemCreate, .documentCreate, .patientCreate, .paymentCreate, .claimNoteCreate: true
        case .appointmentUpdate, .appointmentDelete, .patientUpdate, .lineItemUpdate, .lineItemDelete, .appointmentBillingStatus: false
        }
    }
}

/// Where a queued write stands. Stored by its raw value.
public enum OutboxState: String, Sendable, CaseIterable, DatabaseValueConvertible, Comparable {
    /// Made here, waiting its turn.
    case pending
    /// On its way: committed before the request goes.
    case sending
    /// Sent, the answer lost: found at DrChrono before anything is sent again.
    case ambiguous
    /// DrChrono refused it; the message says why.
    case failed
    /// DrChrono refused it because the time is taken.
    case conflict

    /// Whether a person must act: DrChrono refused the write. The one definition the
    /// status bar, the schedule's marks, the queue and the pusher share.
    public var needsAttention: Bool {
        switch self {
        case .failed, .conflict: true
        case .pending, .sending, .ambiguous: false
        }
    }

    /// The states that need a person, for SQL: `state IN (…)`.
    public static let needingAttention = allCases.filter(\.needsAttention)

    /// `'failed', 'conflict'`: the states that need a person, as an SQL list.
    static let needingAttentionSQL = needingAttention.map { "'\($0.rawValue)'" }.joined(separator: ", ")

    /// Worse states outrank milder ones when one row has several writes.
    public static func < (a: OutboxState, b: OutboxState) -> Bool { a.rank < b.rank }

    private var rank: Int {
        switch self {
        case .pending: 0
        case .sending: 1
        case .ambiguous: 2
        case .failed: 3
        case .conflict: 4
        }
    }
}

/// What a queued write is about: writes to one target go out in the order they were
/// made. Stored as `appointment:<id>` or `patient:<id>`.
public enum WriteTarget: Sendable, Hashable, DatabaseValueConvertible, CustomStringConvertible {
    /// An appointment, by DrChrono's id — or by a local id (`local-…`) until DrChrono
    /// confirms the booking.
    case appointment(String)
    /// A patient (their record, or an upload to their chart), by DrChrono's id — or by a
    /// negative local id until DrChrono confirms their registration.
    case patient(Int)

    public var description: String {
        switch self {
        case .appointment(let id): "appointment:\(id)"
        case .patient(let id): "patient:\(id)"
        }
    }

    /// The appointment the write is about, if it is about one.
    public var appointmentId: String? {
        if case .appointment(let id) = self { return id }
        return nil
    }

    /// The patient the write is about, if it is about a patient's chart.
    public var patientId: Int? {
        if case .patient(let id) = self { return id }
        return nil
    }

    /// The target's id as DrChrono's URLs and queries name it.
    public var id: String {
        switch self {
        case .appointment(let id): id
        case .patient(let id): String(id)
        }
    }

    public init?(_ text: String) {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return nil }
        switch parts[0] {
        case "appointment": self = .appointment(parts[1])
        case "patient":
            guard let id = Int(parts[1]) else { return nil }
            self = .patient(id)
        default: return nil
        }
    }

    public var databaseValue: DatabaseValue { description.databaseValue }

    public static func fromDatabaseValue(_ value: DatabaseValue) -> WriteTarget? {
        String.fromDatabaseValue(value).flatMap(WriteTarget.init)
    }
}
