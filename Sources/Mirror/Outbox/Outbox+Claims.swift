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

extension Outbox {
    /// DrChrono took a note on a claim: it is kept with the visit, under DrChrono's id,
    /// so the biller sees it once it leaves the queue.
    public static func confirmClaimNote(_ entry: Entry, server row: JSONObject, in db: Database) throws {
        if let id = row.int("id"), let visit = entry.target.appointmentId {
            try db.upsert(
                into: "claim_notes", ["id", "appointment_id", "text", "created_by", "created_at", "person"],
                [
                    id, visit, row.string("text") ?? "", row.string("created_by") ?? "", row.string("created_at") ?? "",
                    entry.person ?? "",
                ])
        }
        try confirm(entry, in: db)
    }
}

/// A note on a visit's claim as the biller reads it: its words (without the queue's
/// marker), who wrote it and when, and whether it still waits for DrChrono.
public struct ClaimNote: Sendable, Equatable {
    public var text: String
    public var by: String
    /// DrChrono's `created_at`, or when it was queued.
    public var at: LocalDateTime?
    public var waiting: Bool

    public init(text: String, by: String, at: LocalDateTime?, waiting: Bool) {
        (self.text, self.by, self.at, self.waiting) = (ClaimNote.withoutMarker(text), by, at, waiting)
    }

    /// The words as written: the queue's `[ct:…]` marker at the end is the queue's, not the biller's.
    static func withoutMarker(_ text: String) -> String {
        guard let range = text.range(of: #" ?\[ct:[0-9a-f]{8}\]$"#, options: .regularExpression) else { return text }
        return String(text[..<range.lowerBound])
    }
}

extension MirrorQueries {
    /// The notes on a visit's claim, oldest first: those DrChrono has, then those still queued.
    public static func claimNotes(_ db: Database, appointment: String) throws -> [ClaimNote] {
        let kept = try Row.fetchAll(
            db, sql: "SELECT text, created_by, created_at, person FROM claim_notes WHERE appointment_id = ? ORDER BY created_at, id",
            arguments: [appointment]
        ).map { row in
            let person: String = row["person"]
            let by: String = row["created_by"]
            let at: String = row["created_at"]
            return ClaimNote(text: row["text"], by: person.isEmpty ? by : person, at: LocalDateTime(at), waiting: false)
        }
        let queued = try Row.fetchAll(
            db, sql: "SELECT payload, created_at, person FROM outbox WHERE kind = ? AND entity = ? ORDER BY seq",
            arguments: [WriteKind.claimNoteCreate.rawValue, WriteTarget.appointment(appointment)]
        ).compactMap { row -> ClaimNote? in
            guard let payload = (row["payload"] as String?).flatMap({ try? JSONValue.parse(Data($0.utf8)) })?.objectValue else {
                return nil
            }
            return ClaimNote(
                text: payload.string("text") ?? "", by: row["person"] ?? "", at: (row["created_at"] as String?).flatMap(LocalDateTime.init),
                waiting: true)
        }
        return kept + queued
    }
}
