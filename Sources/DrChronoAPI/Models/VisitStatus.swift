/// DrChrono's statuses of a visit, typed, with the practice's rules over them in one
/// place: what still holds the visit's time, and what is still on the day's list.
///
/// It lives beside the wire's models, not in `Practice`, because the mirror's queries
/// (the schedule, the slot finder, a patient's next visit) filter by it in SQL: one
/// definition for the SQL and for Swift. A practice may add statuses of its own in
/// DrChrono: those read as nil here, and a visit with one holds its time.
public enum VisitStatus: String, Sendable, CaseIterable, Codable {
    case booked = ""
    case confirmed = "Confirmed"
    case notConfirmed = "Not Confirmed"
    case arrived = "Arrived"
    case checkedIn = "Checked In"
    case checkedInOnline = "Checked In Online"
    case inRoom = "In Room"
    case inSession = "In Session"
    case complete = "Complete"
    case rescheduled = "Rescheduled"
    case cancelled = "Cancelled"
    case noShow = "No Show"

    /// Whether a visit with this status holds its time. A visit cancelled, moved
    /// elsewhere (Rescheduled) or not attended (No Show) gives its time back; a deleted
    /// one is gone. Everything else — booked, confirmed, arrived, in the room, done — holds it.
    public var holdsTime: Bool {
        switch self {
        case .rescheduled, .cancelled, .noShow: false
        case .booked, .confirmed, .notConfirmed, .arrived, .checkedIn, .checkedInOnline, .inRoom, .inSession, .complete: true
        }
    }

    /// Whether the visit is on the day's list of visits (a clinician's day): a no-show
    /// was expected and stays; one cancelled or moved elsewhere does not.
    public var isOnTheDay: Bool {
        switch self {
        case .rescheduled, .cancelled: false
        case .booked, .confirmed, .notConfirmed, .arrived, .checkedIn, .checkedInOnline, .inRoom, .inSession, .complete, .noShow: true
        }
    }

    /// Whether the patient is still to confirm the visit.
    public var isToConfirm: Bool { self == .booked || self == .notConfirmed }

    /// "Checked In", or "Booked" for DrChrono's empty status.
    public var label: String { self == .booked ? "Booked" : rawValue }
}

/// Whether a visit holds its time, for statuses as DrChrono sends them (a practice's
/// own status holds it) and for SQL.
public enum VisitTime {
    /// DrChrono's statuses that give a visit's time back.
    public static let releasing: Set<String> = Set(VisitStatus.allCases.filter { !$0.holdsTime }.map(\.rawValue))

    public static func holds(status: String, deleted: Bool = false) -> Bool {
        !deleted && (VisitStatus(rawValue: status)?.holdsTime ?? true)
    }

    /// The same rule over the mirror's `appointments` columns, for a query's WHERE.
    public static let sqlCondition =
        "deleted = 0 AND status NOT IN (\(VisitStatus.allCases.filter { !$0.holdsTime }.map { "'\($0.rawValue)'" }.joined(separator: ", ")))"
}

extension Appointment {
    /// The visit's status, typed (nil: a status the practice added in DrChrono).
    public var visitStatus: VisitStatus? { VisitStatus(rawValue: status) }

    /// "Checked In", "Booked" for DrChrono's empty status, or a status the practice
    /// added, as it is.
    public var statusLabel: String { visitStatus?.label ?? status }

    /// Whether this visit still holds its time (see ``VisitStatus/holdsTime``).
    public var holdsTime: Bool { VisitTime.holds(status: status, deleted: deleted) }

    /// Whether this visit is on the day's list (see ``VisitStatus/isOnTheDay``).
    public var isOnTheDay: Bool { !deleted && (visitStatus?.isOnTheDay ?? true) }
}
