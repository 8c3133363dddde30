import DrChronoAPI
import GRDB
import Mirror

/// The write queue as the office manager (and, to come, an agent) handles it: what
/// waits, and what to do with a write DrChrono refused — put it back in line, or give
/// it up. Sending is the sync side's (the lease holder's) alone.
public struct WriteQueue: Sendable {
    public let mirror: MirrorDatabase

    public init(mirror: MirrorDatabase) { self.mirror = mirror }

    /// The writes waiting, oldest first.
    public func entries() throws -> [Outbox.Entry] { try mirror.read { db in try Outbox.entries(db) } }

    /// Puts a failed or conflicting write back in line, to be sent again.
    public func retry(_ seq: Int64) throws -> Outcome<Void> {
        try mirror.write(.queue) { db in try Outbox.retry(seq, in: db) }
            ? .queued(()) : .refused(Refusal("Entry \(seq) is not a failed or conflicting entry; nothing changed."))
    }

    /// Gives up a failed or conflicting write: it leaves the queue, and so does what it
    /// showed (a booking, a charge). Answers the entry, and the record the mirror must
    /// read again from DrChrono because it still shows what was not sent (nil: none).
    public func discard(_ seq: Int64) throws -> Outcome<(entry: Outbox.Entry, reread: (MirrorResource, String)?)> {
        guard let entry = try mirror.write(.queue, { db in try Outbox.discard(seq, in: db) }) else {
            return .refused(Refusal("Entry \(seq) is not a failed or conflicting entry; nothing discarded."))
        }
        return .queued((entry, Self.reread(after: entry)))
    }

    /// Takes back a write before it leaves (pending, never tried): the undo an agent and
    /// the queue's own tools offer. One already on its way, or sent, is not taken back.
    public func withdraw(_ seq: Int64) throws -> Outcome<(entry: Outbox.Entry, reread: (MirrorResource, String)?)> {
        guard let entry = try mirror.write(.queue, { db in try Outbox.withdraw(seq, in: db) }) else {
            return .refused(
                Refusal(
                    "Write \(seq) is not waiting to be sent (it is on its way, sent, or refused: see chronoterm queue); nothing changed."))
        }
        return .queued((entry, Self.reread(after: entry)))
    }

    /// What a discarded write leaves showing that DrChrono does not have: the visit, the
    /// patient or the charge it changed (a create's own row leaves with it).
    static func reread(after entry: Outbox.Entry) -> (MirrorResource, String)? {
        switch entry.write {
        case .changeVisit, .claimStatus: entry.target.appointmentId.map { (.appointments, $0) }
        case .changePatient: entry.target.patientId.flatMap { $0 > 0 ? (.patients, String($0)) : nil }
        case .fixCharge(let id, _), .voidCharge(let id, _): id > 0 ? (.lineItems, String(id)) : nil
        case .book, .removeVisit, .claimNote, .charge, .attach, .register, .payment: nil
        }
    }
}
