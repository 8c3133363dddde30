import DrChronoAPI
import Foundation
import GRDB

/// Correcting and voiding a charge already made. Both are shown at once; a charge still
/// waiting in the queue is voided by taking it out of the queue, never sent.
extension Outbox {
    /// Queues a correction of a charge: only the fields that changed. Answers false when
    /// the charge is not in the local copy.
    @discardableResult
    public static func fixCharge(_ id: Int, changes: ChargeChange, in db: Database, now: LocalDateTime) throws -> Bool {
        let id = try currentChargeId(of: id, in: db)
        guard !changes.isEmpty,
            let visit = try String.fetchOne(db, sql: "SELECT appointment_id FROM line_items WHERE id = ?", arguments: [id])
        else { return false }
        try applyCharge(changes, to: id, in: db)
        try insert(db, target: .appointment(visit), write: .fixCharge(lineItem: id, changes), marker: "", now: now)
        return true
    }

    /// Voids a charge: it leaves the visit's charges at once. One DrChrono has not been
    /// sent yet is simply taken out of the queue; otherwise its deletion is queued.
    /// Answers false when the charge is not in the local copy.
    @discardableResult
    public static func voidCharge(_ id: Int, in db: Database, now: LocalDateTime) throws -> Bool {
        let id = try currentChargeId(of: id, in: db)
        guard let row = try Row.fetchOne(db, sql: "SELECT appointment_id, code FROM line_items WHERE id = ?", arguments: [id]),
            let visit = row["appointment_id"] as String?
        else { return false }
        if id < 0,
            let create = try entries(db).first(where: { $0.kind == .lineItemCreate && $0.write.localId == id }),
            create.state == .pending || create.state.needsAttention
        {
            // Never sent (or refused): nothing at DrChrono to void.
            try db.execute(sql: "DELETE FROM outbox WHERE seq = ?", arguments: [create.seq])
            try audit(
                .writeDiscarded, seq: create.seq, target: create.target, kind: create.kind, outcome: "voided before sending", in: db)
            try db.execute(sql: "DELETE FROM line_items WHERE id = ?", arguments: [id])
            try settle(create.target, in: db)
            return true
        }
        try db.execute(sql: "DELETE FROM line_items WHERE id = ?", arguments: [id])
        try insert(db, target: .appointment(visit), write: .voidCharge(lineItem: id, code: row["code"] ?? ""), marker: "", now: now)
        return true
    }

    /// The id a charge has now: DrChrono's, once it confirmed one made here.
    public static func currentChargeId(of id: Int, in db: Database) throws -> Int {
        guard id < 0 else { return id }
        return try String.fetchOne(db, sql: "SELECT server_id FROM outbox_renames WHERE local_id = ?", arguments: ["line_item:\(id)"])
            .flatMap { Int($0) } ?? id
    }

    /// A charge made here was confirmed: corrections and voids queued for it take its id.
    static func renameCharge(_ local: Int, to server: Int, in db: Database) throws {
        try db.execute(
            sql: "INSERT OR REPLACE INTO outbox_renames (local_id, server_id) VALUES (?, ?)",
            arguments: ["line_item:\(local)", String(server)])
        try db.execute(
            sql: "UPDATE outbox SET payload = json_set(payload, '$.line_item', ?) WHERE json_extract(payload, '$.line_item') = ?",
            arguments: [server, local])
        // Corrections still queued keep showing on top of DrChrono's row.
        for later in try entries(db) {
            if case .fixCharge(server, let changes) = later.write { try applyCharge(changes, to: server, in: db) }
        }
    }

    /// A correction's optimistic effect: the fields laid over the stored row, held
    /// against pulls until DrChrono confirms it.
    static func applyCharge(_ changes: ChargeChange, to id: Int, in db: Database) throws {
        guard let raw = try String.fetchOne(db, sql: "SELECT raw FROM line_items WHERE id = ?", arguments: [id]),
            var row = (try? JSONValue.parse(Data(raw.utf8)))?.objectValue
        else { return }
        let before = LineItem(json: row)
        for (key, value) in changes.fields.pairs { row[key] = value }
        // What is owed moves with what is billed until DrChrono answers with its own
        // account of the line, so the visit's total and its balance never disagree.
        if let before, let after = LineItem(json: row) {
            let change = Money.line(priceCents: after.priceCents, quantity: after.quantity)
                .subtracting(saturating: Money.line(priceCents: before.priceCents, quantity: before.quantity))
            if change != 0, before.hasAccount {
                row["balance_total"] = .string(Money(cents: before.balanceCents.adding(saturating: change)).wire)
                row["balance_pt"] = .string(Money(cents: before.patientBalanceCents.adding(saturating: change)).wire)
            }
        }
        try db.execute(sql: "UPDATE line_items SET pending = 0 WHERE id = ?", arguments: [id])
        try MirrorWriter.store([row], as: .lineItems, in: db)
        try db.execute(sql: "UPDATE line_items SET pending = 1 WHERE id = ?", arguments: [id])
    }

    /// DrChrono took a correction or a void: the charge stops being held when nothing
    /// else is queued for it.
    static func settleCharge(_ entry: Entry, in db: Database) throws {
        guard let id = entry.write.lineItem else { return }
        let queued = try entries(db).contains { $0.write.lineItem == id }
        try db.execute(sql: "UPDATE line_items SET pending = ? WHERE id = ?", arguments: [queued, id])
    }
}
