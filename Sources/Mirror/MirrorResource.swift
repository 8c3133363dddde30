import DrChronoAPI

/// A DrChrono resource the mirror keeps, and how DrChrono lets it be read.
public enum MirrorResource: String, CaseIterable, Sendable {
    case doctors, offices
    case appointmentProfiles = "appointment_profiles"
    case clinicalNoteFieldTypes = "clinical_note_field_types"
    case patients, appointments
    case clinicalNotes = "clinical_notes"
    case lineItems = "line_items"
    case problems, medications, allergies, documents
    /// Payments patients made: the day's, not the practice's history.
    case patientPayments = "patient_payments"
    /// The eligibility checks DrChrono ran for today's and tomorrow's visits.
    case eligibilityChecks = "eligibility_checks"
    /// Each doctor's working week, for finding a free slot.
    case workSchedules = "doctor_work_schedule"
    /// Line items voided at DrChrono (by anyone): each one read removes its line item.
    case lineItemDeletions = "line_item_deletions"
    /// The prices the practice set per doctor, code and payer: a charge's price is filled from them.
    case feeSchedules = "fee_schedules"
    /// Named sets of codes a visit usually bills: applied with one key.
    case billingProfiles = "billing_profiles"
    /// Lab orders, with their results read for the charts people open and the day's patients.
    case labOrders = "lab_orders"
    /// Results entered in charts by hand (an outside lab's), with the doctor's sign-off.
    case patientLabResults = "patient_lab_results"

    public var path: String { "/api/\(rawValue)" }
    /// The table it is stored in.
    public var table: String { self == .workSchedules ? "work_schedules" : rawValue }

    /// The bulk list that loads it fastest (1,000 rows a request), where DrChrono has one.
    public var hasBulkList: Bool { [.patients, .appointments, .clinicalNotes, .lineItems].contains(self) }

    /// Whether it is read by `since` (updated or created on or after) rather than whole.
    public var supportsSince: Bool { !isReference && self != .eligibilityChecks }

    /// The part of it the console's work needs, where the mirror keeps no more than that:
    /// the last month's payments (the biller's day totals and month's end; older history
    /// is DrChrono's), the day's voids, the checks of today's and tomorrow's visits. Nil:
    /// all of it.
    public func window(today: LocalDateTime) -> [String: String]? {
        switch self {
        case .patientPayments: ["since": today.startOfDay.adding(days: -31).description]
        case .lineItemDeletions: ["since": today.startOfDay.description]
        case .labOrders: ["since": today.startOfDay.adding(days: -31).description]
        case .eligibilityChecks: ["appointment_date_range": "\(today.dateString)/\(today.adding(days: 1).dateString)"]
        default: nil
        }
    }

    /// What the console can do without: a login that may not read it (a profile logged
    /// in before chronoterm asked for the scope) syncs the rest.
    public var isOptional: Bool {
        [
            .patientPayments, .eligibilityChecks, .workSchedules, .lineItemDeletions, .feeSchedules, .billingProfiles, .labOrders,
            .patientLabResults,
        ].contains(self)
    }

    /// Whether the daily reconciliation lists it whole to find rows deleted at DrChrono:
    /// not the lists read whole anyway (set-up, a window), nor appointments (they report
    /// their deletions).
    public var isReconciled: Bool { !reportsDeletions && !isReference && window(today: LocalDateTime(year: 2000, month: 1, day: 1)) == nil }

    /// Appointments report deletion (`deleted_flag`, with `show_archived`); for the rest
    /// a deleted row simply stops being listed, which only an id reconciliation notices.
    public var reportsDeletions: Bool { self == .appointments }

    /// Small lists of the practice's set-up, read whole each time.
    public var isReference: Bool {
        [.doctors, .offices, .appointmentProfiles, .clinicalNoteFieldTypes, .workSchedules, .feeSchedules, .billingProfiles].contains(self)
    }

    /// The practice group's own settings, the same through every login: doctors, offices,
    /// visit types, note templates' fields, billing profiles. The rest belongs to a
    /// doctor's side (the work and fee schedules among the set-up lists) and a login sees
    /// only the sides its user may.
    public var isPracticeWide: Bool {
        [.doctors, .offices, .appointmentProfiles, .clinicalNoteFieldTypes, .billingProfiles].contains(self)
    }

    /// The key type: appointment ids are strings on the wire.
    var textIds: Bool { self == .appointments }
}
