/// Whether a visit still holds its time — the one definition the schedule, the booking
/// check, the slot finder and a patient's next visit all use. A visit cancelled, moved
/// elsewhere (Rescheduled) or not attended (No Show) gives its time back; a deleted one
/// is gone. Everything else — booked, confirmed, arrived, in the room, done — holds it.
public enum VisitTime {
    /// DrChrono's statuses that give a visit's time back.
    public static let releasing: Set<String> = ["Cancelled", "Rescheduled", "No Show"]

    public static func holds(status: String, deleted: Bool = false) -> Bool { !deleted && !releasing.contains(status) }

    /// The same rule over the mirror's `appointments` columns, for a query's WHERE.
    public static let sqlCondition = "deleted = 0 AND status NOT IN ('Cancelled', 'Rescheduled', 'No Show')"
}

extension Appointment {
    /// Whether this visit still holds its time (see ``VisitTime``).
    public var holdsTime: Bool { VisitTime.holds(status: status, deleted: deleted) }
}
