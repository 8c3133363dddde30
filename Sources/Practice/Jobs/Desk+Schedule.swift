import DrChronoAPI
import GRDB
import Mirror

/// The front desk's jobs on the schedule: book, move, set a visit's status, cancel,
/// and leave a line in a visit's notes.
extension Desk {
    /// Books a visit: checked against the day as the mirror holds it (the doctor, the
    /// office and its hours, the room, the patient, and every visit that still holds its
    /// time — a cancelled one gives it back). Warnings (outside hours, in the past, over
    /// another visit) need `confirmed`. Answers the visit's local id.
    public func book(_ booking: Outbox.Booking, confirmed: Bool = false) throws -> Outcome<String> {
        try job(.schedule) { db in
            if let refusal = try outsideSide(doctor: booking.doctor, in: db) ?? outsideSide(patient: booking.patient, in: db) {
                return .refused(refusal)
            }
            let facts = try MirrorQueries.bookingFacts(db, for: booking)
            let problems = BookingCheck.problems(booking, facts: facts, now: now)
            if let verdict: Outcome<String> = Self.verdict(problems, confirmed: confirmed) {
                return verdict
            }
            return .queued(try Outbox.book(booking, in: db, now: now))
        }
    }

    /// Moves a visit to another time, room or doctor. Answers refused when the visit is
    /// not in the mirror.
    public func move(
        _ appointment: String, to time: LocalDateTime?, examRoom: Int? = nil, doctor: Int? = nil, allowOverlapping: Bool = false
    ) throws -> Outcome<Void> {
        try job(.schedule) { db in
            guard let visit = try visit(appointment, in: db) else { return .refused(Self.noSuchVisit) }
            if let refusal = try outsideSide(doctor: visit.doctor, in: db) ?? outsideSide(doctor: doctor, in: db) {
                return .refused(refusal)
            }
            try Outbox.reschedule(
                appointment: appointment, to: time, examRoom: examRoom, doctor: doctor, allowOverlapping: allowOverlapping, in: db, now: now
            )
            return .queued(())
        }
    }

    /// Sets a visit's status: Confirmed, Arrived, Checked In, In Room, Complete,
    /// Cancelled, No Show ….
    public func setStatus(_ status: VisitStatus, of appointment: String) throws -> Outcome<Void> {
        try job(.schedule) { db in
            guard let visit = try visit(appointment, in: db) else { return .refused(Self.noSuchVisit) }
            if let refusal = try outsideSide(doctor: visit.doctor, in: db) { return .refused(refusal) }
            try Outbox.setStatus(status.rawValue, appointment: appointment, in: db, now: now)
            return .queued(())
        }
    }

    /// Cancels a visit: its status becomes Cancelled and its time is free at once.
    public func cancel(_ appointment: String) throws -> Outcome<Void> { try setStatus(.cancelled, of: appointment) }

    /// Replaces a visit's notes (a line added: "Left message 3/4 9:00 am").
    public func setNotes(_ notes: String, of appointment: String) throws -> Outcome<Void> {
        try job(.schedule) { db in
            guard let visit = try visit(appointment, in: db) else { return .refused(Self.noSuchVisit) }
            if let refusal = try outsideSide(doctor: visit.doctor, in: db) { return .refused(refusal) }
            try Outbox.setNotes(notes, appointment: appointment, in: db, now: now)
            return .queued(())
        }
    }

    /// The visit as the mirror has it now (a local id DrChrono confirmed since reads as
    /// DrChrono's).
    func visit(_ id: String, in db: Database) throws -> Appointment? {
        try MirrorQueries.appointment(db, id: try Outbox.currentId(of: id, in: db)).flatMap { $0.deleted ? nil : $0 }
    }

    static let noSuchVisit = Refusal("That visit is no longer in the schedule — it was removed or moved; look it up again.")
}
