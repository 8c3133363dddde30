import DrChronoAPI
import Foundation
import GRDB

/// DrChrono confirmed a queued write: the mirror takes what it said, and the entry leaves.
extension Outbox {
    /// DrChrono confirmed a create: its id replaces the local one everywhere — the
    /// mirror's row and every queued write that refers to it — and the entry leaves.
    public static func confirmCreate(_ entry: Entry, server row: JSONObject, in db: Database) throws {
        guard let serverId = row.string("id"), let localId = entry.target.appointmentId else { return }
        try db.execute(sql: "DELETE FROM outbox WHERE seq = ?", arguments: [entry.seq])
        try audit(
            .writeConfirmed, seq: entry.seq, target: .appointment(serverId), kind: entry.kind, outcome: "confirmed as \(serverId)",
            maker: entry.person, in: db
        )
        try db.execute(sql: "DELETE FROM appointments WHERE id = ?", arguments: [localId])
        try db.execute(sql: "INSERT OR REPLACE INTO outbox_renames (local_id, server_id) VALUES (?, ?)", arguments: [localId, serverId])
        try db.execute(
            sql: "UPDATE outbox SET entity = ? WHERE entity = ?",
            arguments: [WriteTarget.appointment(serverId), WriteTarget.appointment(localId)])
        try db.execute(
            sql: "UPDATE line_items SET appointment_id = ?, raw = json_set(raw, '$.appointment', ?) WHERE appointment_id = ?",
            arguments: [serverId, serverId, localId])
        try MirrorWriter.store([row], as: .appointments, in: db)
        // Writes still queued for it keep showing on top of the server's row.
        for later in try entries(db) where later.target == .appointment(serverId) { try apply(later.write, to: serverId, in: db) }
        try settle(.appointment(serverId), in: db)
    }

    /// DrChrono confirmed an update (a 204 carries no body: it took the fields as
    /// sent): the row shows them, the entry leaves, and the row stops being pending
    /// when nothing else is queued for it.
    public static func confirm(_ entry: Entry, in db: Database) throws {
        try db.execute(sql: "DELETE FROM outbox WHERE seq = ?", arguments: [entry.seq])
        try audit(
            .writeConfirmed, seq: entry.seq, target: entry.target, kind: entry.kind, outcome: "confirmed", maker: entry.person, in: db)
        if let id = entry.target.appointmentId { try apply(entry.write, to: id, in: db) }
        try settle(entry.target, in: db)
        try settlePatient(entry.target, in: db)
        try settleCharge(entry, in: db)
    }

    /// An update's optimistic effect on a visit (a change, a claim status): the column
    /// lists read, and the raw row the detail view reads. Other writes leave the row be.
    static func apply(_ write: QueuedWrite, to id: String, in db: Database) throws {
        switch write {
        case .changeVisit(let change):
            // A column the lists read, and the same field of the raw row the detail reads.
            func set(_ column: String, _ field: String, _ value: (any DatabaseValueConvertible)?) throws {
                guard let value else { return }
                try db.execute(
                    sql: "UPDATE appointments SET \(column) = ?, raw = json_set(raw, '$.\(field)', ?) WHERE id = ?",
                    arguments: [value, value, id])
            }
            try set("status", "status", change.status)
            if let time = change.scheduledTime {
                try set("scheduled_time", "scheduled_time", time.description)
                try db.execute(sql: "UPDATE appointments SET day = ? WHERE id = ?", arguments: [time.dateString, id])
            }
            try set("notes", "notes", change.notes)
            try set("exam_room", "exam_room", change.examRoom)
            try set("doctor_id", "doctor", change.doctor)
        case .claimStatus(let status):
            try db.execute(sql: "UPDATE appointments SET raw = json_set(raw, '$.billing_status', ?) WHERE id = ?", arguments: [status, id])
        case .book, .claimNote, .removeVisit, .charge, .fixCharge, .voidCharge, .attach, .register, .changePatient, .payment:
            break
        }
    }

    /// Marks an appointment's row pending while writes for it are queued, and not
    /// otherwise. (A chart's upload marks its document row itself.)
    static func settle(_ target: WriteTarget, in db: Database) throws {
        guard let id = target.appointmentId else { return }
        let queued = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox WHERE entity = ?", arguments: [target]) ?? 0
        try db.execute(sql: "UPDATE appointments SET pending = ? WHERE id = ?", arguments: [queued > 0, id])
    }
}
