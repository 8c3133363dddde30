/// A DrChrono resource the mirror keeps, and how DrChrono lets it be read.
public enum MirrorResource: String, CaseIterable, Sendable {
    case doctors, offices
    case appointmentProfiles = "appointment_profiles"
    case clinicalNoteFieldTypes = "clinical_note_field_types"
    case patients, appointments
    case clinicalNotes = "clinical_notes"
    case lineItems = "line_items"
    case problems, medications, allergies, documents

    public var path: String { "/api/\(rawValue)" }
    /// The table it is stored in.
    public var table: String { rawValue }

    /// The bulk list that loads it fastest (1,000 rows a request), where DrChrono has one.
    public var hasBulkList: Bool { [.patients, .appointments, .clinicalNotes, .lineItems].contains(self) }

    /// Whether it is read by `since` (updated or created on or after) rather than whole.
    public var supportsSince: Bool { !isReference }

    /// Appointments report deletion (`deleted_flag`, with `show_archived`); for the rest
    /// a deleted row simply stops being listed, which only an id reconciliation notices.
    public var reportsDeletions: Bool { self == .appointments }

    /// Small lists of the practice's set-up, read whole each time.
    public var isReference: Bool { [.doctors, .offices, .appointmentProfiles, .clinicalNoteFieldTypes].contains(self) }

    /// The key type: appointment ids are strings on the wire.
    var textIds: Bool { self == .appointments }
}
