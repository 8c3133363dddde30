import DrChronoAPI
import GRDB
import Mirror

/// The practice's jobs, done for one person: book, move, check in, cancel, register,
/// take a payment, charge, correct, void, bill. Every surface — the console, the CLI,
/// the MCP server — asks a `Desk`; none writes SQL or builds a payload of its own.
///
/// Each job checks its input against facts read from the mirror *in the transaction
/// that queues it*, so what was checked is what is queued, and answers an ``Outcome``.
/// The write goes through the outbox (``Outbox``), with its effect on the mirror, to be
/// sent exactly once by the sync side.
public struct Desk: Sendable {
    public let mirror: MirrorDatabase
    public let actor: ActingPerson
    /// The practice's clock: the wall time in its time zone.
    public let now: LocalDateTime

    /// A rehearsal runs every job as far as it would go — the same transaction, the same
    /// checks — and rolls it back: what it answers is what the job would do, and nothing
    /// is queued. How a surface previews a write before a person says yes.
    public let rehearsal: Bool

    public init(mirror: MirrorDatabase, actor: ActingPerson, now: LocalDateTime, rehearsal: Bool = false) {
        (self.mirror, self.actor, self.now, self.rehearsal) = (mirror, actor, now, rehearsal)
    }

    /// Runs `job` in one write transaction when the person may change `area`: a job
    /// refused or asking first writes nothing (the transaction is rolled back).
    func job<Made>(_ area: WorkArea, _ job: (Database) throws -> Outcome<Made>) throws -> Outcome<Made> {
        guard actor.may(area) else { return .refused(Refusal(Self.notAllowed(area, role: actor.role))) }
        do {
            return try mirror.write(.queue) { db in
                let outcome = try job(db)
                if !outcome.isQueued || rehearsal { throw Unqueued(outcome: outcome) }
                return outcome
            }
        } catch let unqueued as Unqueued<Made> {
            return unqueued.outcome
        }
    }

    /// The checks' problems as an outcome: errors refuse, warnings ask first (unless
    /// `confirmed`); nil when the job may go.
    static func verdict<Made>(_ problems: [WriteProblem], confirmed: Bool) -> Outcome<Made>? {
        let errors = problems.filter { $0.severity == .error }
        if let first = errors.first { return .refused(Refusal(first.message, problems: problems)) }
        if !problems.isEmpty, !confirmed { return .needsConfirmation(problems) }
        return nil
    }

    /// How a job that wrote nothing leaves its transaction: rolled back, answered.
    struct Unqueued<Made: Sendable>: Error { var outcome: Outcome<Made> }

    public static func notAllowed(_ area: WorkArea, role: Role) -> String {
        let what =
            switch area {
            case .schedule: "book or change visits"
            case .patients: "register patients or change their records"
            case .billing: "charge, bill or take payments"
            }
        return "The \(role.title) role may not \(what) — ask the office manager."
    }
}

extension Role {
    /// "front desk", "billing", "clinician".
    public var title: String {
        switch self {
        case .frontDesk: "front desk"
        case .billing: "billing"
        case .clinician: "clinician"
        }
    }
}
