import Mirror

/// What came of a job a person asked for: queued (with what was made), a question
/// first (the warnings a person must see before it goes), or refused — in words a
/// person reads, never an error code. Nothing is written unless it is `queued`.
public enum Outcome<Made: Sendable>: Sendable {
    /// In the write queue, with its effect on the mirror; `Made` names what was made
    /// (a visit's local id, a charge's, a patient's), or `Void`.
    case queued(Made)
    /// Nothing queued yet: these warnings need a "yes" (the same job again, confirmed).
    case needsConfirmation([WriteProblem])
    /// Nothing queued: why, and what to fix.
    case refused(Refusal)

    /// Whether the job reached the queue.
    public var isQueued: Bool {
        if case .queued = self { return true }
        return false
    }
}

/// Why a job was not done: one sentence for a person, and the fields that are wrong.
public struct Refusal: Sendable, Equatable, Error, CustomStringConvertible {
    public var reason: String
    public var problems: [WriteProblem]

    public init(_ reason: String, problems: [WriteProblem] = []) { (self.reason, self.problems) = (reason, problems) }

    public var description: String { reason }
}

/// The person a job is done for: their name (nil at the host's own keyboard, or a
/// console without `--person`), their role and what it may change.
public struct ActingPerson: Sendable, Equatable {
    public var name: String?
    public var role: Role
    public var writes: Set<WorkArea>
    /// The doctors whose side of the practice the person works on — what their DrChrono
    /// login (a grant) sees; nil: every doctor. A job on another doctor's visit or
    /// patient is refused, saying so.
    public var doctors: Set<Int>?

    public init(name: String?, role: Role, writes: Set<WorkArea>? = nil, doctors: Set<Int>? = nil) {
        (self.name, self.role, self.doctors) = (name, role, doctors)
        self.writes = writes ?? role.writes()
    }

    /// Whether this person may change `area`.
    public func may(_ area: WorkArea) -> Bool { writes.contains(area) }
}
