import DrChronoAPI
import Foundation
import Mirror

/// How the writes that need more than one call, or a word from DrChrono read back, are
/// sent: registrations, corrections and voids of charges, claim statuses and notes,
/// payments.
extension OutboxPusher {
    /// Sends a registration; answers true when DrChrono already had the patient (a 409
    /// for the same name, birth date and sex: this one, if an earlier send got through,
    /// or one registered elsewhere since — the same person either way). Their chart is
    /// taken; no second one is made.
    func register(_ entry: Entry, with client: DrChronoClient) async throws -> Bool {
        let made: JSONValue
        do {
            made = try await client.json(.post("/api/patients", json: .object(entry.write.fields)), priority: .write, gate: sendGate)
        } catch APIError.conflict(let detail, _) {
            guard let found = try await findCreated(entry, through: client) else { throw APIError.conflict(detail, overlapping: []) }
            try await confirm(entry, created: found)
            return true
        }
        guard let row = made.objectValue else { throw APIError.unexpected("DrChrono answered a create without the patient") }
        try await confirm(entry, created: row)
        return false
    }

    /// Sends a charge's correction or void; a void DrChrono no longer knows of (a repeat
    /// whose answer was lost, or voided elsewhere) is done all the same.
    func correct(_ entry: Entry, charge id: Int, with client: DrChronoClient) async throws {
        let path = "/api/line_items/\(id)"
        let call: DrChronoClient.Call = entry.kind == .lineItemUpdate ? .patch(path, json: .object(entry.write.fields)) : .delete(path)
        var failure: (any Error)?
        do { _ = try await client.send(call, priority: .write, gate: sendGate) } catch { failure = error }
        if let failure {
            // A void DrChrono no longer knows of is done; anything else stops the entry.
            let gone: Bool = if case APIError.notFound = failure { entry.kind == .lineItemDelete } else { false }
            if !gone { throw failure }
        }
        try await record { db in try Outbox.confirm(entry, in: db) }
    }

    /// Sends a visit's billing status or a note on its claim.
    func bill(_ entry: Entry, with client: DrChronoClient) async throws {
        if entry.kind == .appointmentBillingStatus {
            _ = try await client.send(
                .patch("/api/appointments/\(entry.target.id)", json: .object(entry.write.fields)), priority: .write, gate: sendGate)
        } else {
            var body = entry.write.fields
            body["appointment"] = Int(entry.target.id).map { .int($0) } ?? .string(entry.target.id)
            let made = try await client.json(.post("/api/claim_billing_notes", json: .object(body)), priority: .write, gate: sendGate)
            guard let note = made.objectValue else { throw APIError.unexpected("DrChrono answered a claim note without the object") }
            try await record { db in try Outbox.confirmClaimNote(entry, server: note, in: db) }
            return
        }
        try await record { db in try Outbox.confirm(entry, in: db) }
    }

    /// Sends a payment, for the visit's DrChrono id.
    func pay(_ entry: Entry, with client: DrChronoClient) async throws {
        var body = entry.write.fields
        body["appointment"] = nil
        if let visit = entry.target.appointmentId { body["appointment"] = Int(visit).map { .int($0) } ?? .string(visit) }
        let made = try await client.json(.post("/api/patient_payments", json: .object(body)), priority: .write, gate: sendGate)
        guard let row = made.objectValue else { throw APIError.unexpected("DrChrono answered a payment without the object") }
        try await confirm(entry, created: row)
    }
}
