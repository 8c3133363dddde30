import DrChronoAPI
import Foundation
import GRDB

/// Taking a payment: a copay at check-in, a payment on a visit. Shown in the day's
/// collections at once (pending), sent once, found again by its marker when the
/// answer was lost.
extension Outbox {
    public struct Payment: Sendable, Equatable {
        public var patient: Int
        /// The visit it is for (DrChrono's id, or a local one still queued); nil: the account.
        public var appointment: String?
        public var amountCents: Int
        /// DrChrono's `payment_method`: `CASH`, `CHCK`, `CRDT`, `DBIT`, `OTHR` …
        public var method: String
        /// DrChrono's `payment_transaction_type`: `COPAY`, `COINSR`, `OTHR`, or blank.
        public var kind: String
        public var notes = ""
        /// Who took it, for the day's collections until DrChrono's row names its user:
        /// the practice's person at the console, else the profile's DrChrono user.
        public var takenBy: String?

        public init(patient: Int, appointment: String?, amountCents: Int, method: String, kind: String) {
            (self.patient, self.appointment, self.amountCents, self.method, self.kind) = (patient, appointment, amountCents, method, kind)
        }
    }

    /// Queues a payment; answers its local id (negative until DrChrono assigns one).
    @discardableResult
    public static func collect(_ payment: Payment, in db: Database, now: LocalDateTime) throws -> Int {
        var payment = payment
        payment.patient = try currentPatientId(of: payment.patient, in: db)
        let appointment = try payment.appointment.map { try currentId(of: $0, in: db) }
        let localId = -Int.random(in: 1...Int(Int32.max))
        let marker = newMarker()
        // The marker lets a payment whose answer was lost be found, never taken twice.
        payment.notes = payment.notes.isEmpty ? marker : payment.notes + " " + marker
        payment.appointment = appointment
        let write = QueuedWrite.payment(payment, receivedDate: now.dateString, local: LocalRecord(id: localId))
        let person = try AuditTrail.sessionPerson(db)?.name ?? payment.takenBy
        try db.execute(
            sql: """
                INSERT INTO patient_payments (id, patient_id, appointment_id, doctor_id, amount_cents, method, kind, received_date,
                    posted_date, created_by, person, updated_at, pending, raw)
                VALUES (?, ?, ?, NULL, ?, ?, ?, ?, NULL, '', ?, ?, 1, ?)
                """,
            arguments: [
                localId, payment.patient, appointment, payment.amountCents, payment.method, payment.kind, now.dateString, person,
                now.description, JSONValue.object(write.stored).serializedString,
            ])
        try insert(
            db, target: appointment.map { .appointment($0) } ?? .patient(payment.patient), write: write, marker: marker, now: now)
        return localId
    }

    /// DrChrono confirmed a payment: its row replaces the local one, still counted to
    /// the person who took it.
    public static func confirmPayment(_ entry: Entry, server row: JSONObject, in db: Database) throws {
        try replaceLocalRow(of: entry, with: row, as: .patientPayments, in: db)
        if let id = row.int("id") {
            try db.execute(sql: "UPDATE patient_payments SET person = ? WHERE id = ?", arguments: [entry.person, id])
        }
        try settle(entry.target, in: db)
    }
}
