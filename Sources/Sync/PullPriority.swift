/// What the sync engine fetches first when the hour's request budget cannot cover
/// everything: what a person will look at next.
public enum PullPriority: Int, Comparable, Sendable, CaseIterable {
    /// Something a person just opened (a chart): jumps the queue.
    case opened = 0
    /// Today's schedule.
    case today = 1
    /// The weeks around today.
    case nearbyWeeks = 2
    /// Patients: search must find them.
    case patients = 3
    /// Charts and billing of recent visits.
    case charts = 4
    /// The rest of the history.
    case history = 5

    public static func < (a: PullPriority, b: PullPriority) -> Bool { a.rawValue < b.rawValue }
}
