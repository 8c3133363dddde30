import DrChronoAPI
import Foundation
import Mirror

/// Finding a write DrChrono may have made already: an answer was lost, or its sender
/// stopped mid-request.
extension OutboxPusher {
    /// Where the siblings of a charge or an upload are listed: the appointment's line
    /// items, the patient's documents. Nil for what carries a marker.
    static func listing(for entry: Entry) -> (path: String, query: [String: String])? {
        switch entry.kind {
        case .lineItemCreate: ("/api/line_items", ["appointment": entry.target.id])
        case .documentCreate: ("/api/documents", ["patient": entry.target.id])
        case .appointmentCreate, .appointmentUpdate, .appointmentDelete, .patientCreate, .patientUpdate, .paymentCreate, .lineItemUpdate,
            .lineItemDelete, .appointmentBillingStatus, .claimNoteCreate:
            nil
        }
    }

    func ids(_ path: String, _ query: [String: String]) async throws -> [Int] {
        var ids: [Int] = []
        for try await page in client.pages(path, query: query, priority: .write) { ids += page.compactMap { $0.int("id") } }
        return ids
    }

    /// What an ambiguous create may have made. A booking: same doctor and day, with the
    /// entry's marker in its notes. A charge or an upload: one that was not there before
    /// sending, with the same code and type, or the same description.
    func findCreated(_ entry: Entry) async throws -> JSONObject? {
        if let listing = Self.listing(for: entry) {
            guard let known = entry.payload["known_ids"]?.arrayValue.map({ Set($0.compactMap(\.intValue)) }) else { return nil }
            let same: (JSONObject) -> Bool =
                entry.kind == .documentCreate
                ? { $0.string("description") == entry.payload.string("description") }
                : {
                    $0.string("code") == entry.payload.string("code")
                        && $0.string("procedure_type") == entry.payload.string("procedure_type")
                }
            for try await page in client.pages(listing.path, query: listing.query, priority: .write) {
                if let found = page.first(where: { !known.contains($0.int("id") ?? -1) && same($0) }) { return found }
            }
            return nil
        }
        if entry.kind == .patientCreate {
            // A patient is known by name and birth date: DrChrono refuses a second chart
            // with the same ones (409), so the one it has is the one that was sent.
            let first = entry.payload.string("first_name") ?? ""
            let last = entry.payload.string("last_name") ?? ""
            let born = entry.payload.string("date_of_birth") ?? ""
            func same(_ a: String, _ b: String) -> Bool { a.trimmingCharacters(in: .whitespaces).lowercased() == b.lowercased() }
            for try await page in client.pages(
                "/api/patients", query: ["first_name": first, "last_name": last, "date_of_birth": born], priority: .write)
            {
                if let found = page.first(where: {
                    same($0.string("first_name") ?? "", first.trimmingCharacters(in: .whitespaces))
                        && same($0.string("last_name") ?? "", last.trimmingCharacters(in: .whitespaces))
                        && ($0.dateTime("date_of_birth")?.dateString ?? "") == born
                }) {
                    return found
                }
            }
            return nil
        }
        if entry.kind == .claimNoteCreate {
            // A claim note: the visit's notes, its marker in the text.
            for try await page in client.pages("/api/claim_billing_notes", query: ["appointment": entry.target.id], priority: .write) {
                if let found = page.first(where: { ($0.string("text") ?? "").contains(entry.marker) }) { return found }
            }
            return nil
        }
        if entry.kind == .paymentCreate {
            // A payment: among the patient's payments (a few pages at most), the one with
            // its marker in the notes. Not `since` the day it was taken: DrChrono stamps
            // it on its own clock, which a lost answer near midnight must not outwit.
            guard let patient = entry.payload.int("patient") else { return nil }
            for try await page in client.pages("/api/patient_payments", query: ["patient": String(patient)], priority: .write) {
                if let found = page.first(where: { ($0.string("notes") ?? "").contains(entry.marker) }) { return found }
            }
            return nil
        }
        guard entry.kind == .appointmentCreate, let time = entry.payload.dateTime("scheduled_time"),
            let doctor = entry.payload.int("doctor")
        else { return nil }
        for try await page in client.pages(
            "/api/appointments", query: ["date": time.dateString, "doctor": String(doctor)], priority: .write)
        {
            if let found = page.first(where: { ($0.string("notes") ?? "").contains(entry.marker) }) { return found }
        }
        return nil
    }

    /// Whether an update whose answer was lost (or whose sender stopped mid-request)
    /// already took: the record at DrChrono has every field as the entry would set it.
    /// Then it is confirmed, not sent again. (A void is done when DrChrono no longer
    /// knows the charge; that is found by sending it, answered 404.)
    func alreadyApplied(_ entry: Entry) async throws -> Bool {
        var fields = entry.payload
        let path: String
        switch entry.kind {
        case .appointmentUpdate, .appointmentBillingStatus: path = "/api/appointments/\(entry.target.id)"
        case .patientUpdate: path = "/api/patients/\(entry.target.id)"
        case .lineItemUpdate:
            guard let id = fields.int("line_item") else { return false }
            fields["line_item"] = nil
            path = "/api/line_items/\(id)"
        case .appointmentCreate, .appointmentDelete, .patientCreate, .paymentCreate, .lineItemCreate, .lineItemDelete, .documentCreate,
            .claimNoteCreate:
            return false
        }
        guard !fields.isEmpty, let record = try await client.json(.get(path), priority: .write).objectValue else { return false }
        return Self.holds(record, fields)
    }

    /// Whether `record` has each of `fields` as given: numbers as numbers ("200.00" is
    /// 200), objects field by field.
    static func holds(_ record: JSONObject, _ fields: JSONObject) -> Bool {
        fields.keys.allSatisfy { key in same(record[key] ?? .null, fields[key] ?? .null) }
    }

    static func same(_ have: JSONValue, _ wanted: JSONValue) -> Bool {
        if let wanted = wanted.objectValue {
            guard let have = have.objectValue else { return false }
            return holds(have, wanted)
        }
        if let wanted = wanted.arrayValue {
            guard let have = have.arrayValue, have.count == wanted.count else { return false }
            return zip(have, wanted).allSatisfy { same($0, $1) }
        }
        func number(_ value: JSONValue) -> Double? { value.doubleValue ?? value.stringValue.flatMap { Double($0) } }
        if let a = number(have), let b = number(wanted) { return a == b }
        if wanted == .null { return have == .null || have.stringValue == "" }
        return have.stringValue != nil && have.stringValue == wanted.stringValue
            || (have.boolValue != nil && have.boolValue == wanted.boolValue)
    }
}
