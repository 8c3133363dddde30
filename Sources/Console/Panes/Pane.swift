/// The four panes, in the order of their number keys.
public enum Pane: Int, CaseIterable, Sendable {
    case schedule = 1, search, notes, billing

    public var title: String {
        switch self {
        case .schedule: "Schedule"
        case .search: "Patients"
        case .notes: "Notes"
        case .billing: "Billing"
        }
    }
}

/// Who sits at this profile: it decides the first pane and whether writes are allowed.
public enum Role: String, CaseIterable, Sendable, Codable {
    case frontDesk = "front-desk", billing, clinician

    public var firstPane: Pane {
        switch self {
        case .frontDesk: .schedule
        case .billing: .billing
        case .clinician: .search
        }
    }

    /// Clinicians read; the profile may allow them to write (`allow_writes`).
    public var writesByDefault: Bool { self != .clinician }
}
