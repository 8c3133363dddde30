import DrChronoAPI
import Foundation
import GRDB

/// The biller's words on a visit's claim: its billing status, and notes on it.
extension Outbox {
    /// Queues the visit's billing status ("Bill Insurance" sends the claim), shown at once.
    public static func setBillingStatus(_ status: String, appointment id: String, in db: Database, now: LocalDateTime) throws {
        let id = try currentId(of: id, in: db)
        let write = QueuedWrite.claimStatus(status)
        try apply(write, to: id, in: db)
        try insert(db, target: .appointment(id), write: write, marker: "", now: now)
    }

    /// Queues a note on the visit's claim. A short marker at its end lets a note whose
    /// answer was lost be found, never written twice.
    public static func noteClaim(_ text: String, appointment id: String, in db: Database, now: LocalDateTime) throws {
        let id = try currentId(of: id, in: db)
        let marker = newMarker()
        try insert(db, target: .appointment(id), write: .claimNote(text + " " + marker), marker: marker, now: now)
    }
}
