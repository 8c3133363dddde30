import Practice

/// The four panes, in the order of their number keys.
public enum Pane: Int, CaseIterable, Sendable {
    case schedule = 1
    case search, notes, billing

    public var title: String {
        switch self {
        case .schedule: "Schedule"
        case .search: "Patients"
        case .notes: "Notes"
        case .billing: "Billing"
        }
    }
}

extension Role {
    /// The pane the role's console opens on.
    public var firstPane: Pane {
        switch self {
        case .frontDesk: .schedule
        case .billing: .billing
        case .clinician: .search
        }
    }
}
