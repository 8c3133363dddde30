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

    func ids(_ path: String, _ query: [String: String], through client: DrChronoClient) async throws -> [Int] {
        var ids: [Int] = []
        for try await page in client.pages(path, query: query, priority: .write) { ids += page.compactMap { $0.int("id") } }
        return ids
    }

    /// The login an entry goes with — its person's (``writer``), else the profile's — and
    /// is looked for again with: a login that sees part of the practice finds what it
    /// made, where another might not see it at all. Chosen once per entry sent.
    func sender(for entry: Entry) async -> DrChronoClient {
        if let person = entry.person, let own = await writer(person) { return own }
        return client
    }

    /// What an ambiguous create may have made. A booking: same doctor and day, with the
    /// entry's marker in its notes. A charge or an upload: one that was not there before
    /// sending, with the same code and type, or the same description. A switch over
    /// every write: a new create cannot compile without saying how it is found again.
    func findCreated(_ entry: Entry, through client: DrChronoClient) async throws -> JSONObject? {
        func found(_ listing: (path: String, query: [String: String]), where matches: (JSONObject) -> Bool) async throws -> JSONObject? {
            try await first(listing, through: client, where: matches)
        }
        switch entry.write {
        case .charge(let charge, let local):
            guard let known = local.knownIds, let listing = Self.listing(for: entry) else { return nil }
            return try await found(listing) {
                !known.contains($0.int("id") ?? -1) && $0.string("code") == charge.code
                    && $0.string("procedure_type") == charge.procedureType
            }
        case .attach(let attachment, let local):
            guard let known = local.knownIds, let listing = Self.listing(for: entry) else { return nil }
            return try await found(listing) { !known.contains($0.int("id") ?? -1) && $0.string("description") == attachment.description }
        case .register(let patient, _):
            // A patient is known by name and birth date: DrChrono refuses a second chart
            // with the same ones (409), so the one it has is the one that was sent.
            let first = patient.firstName.trimmingCharacters(in: .whitespaces)
            let last = patient.lastName.trimmingCharacters(in: .whitespaces)
            let born = patient.dateOfBirth
            func same(_ a: String, _ b: String) -> Bool { a.trimmingCharacters(in: .whitespaces).lowercased() == b.lowercased() }
            let query = ["first_name": patient.firstName, "last_name": patient.lastName, "date_of_birth": born]
            return try await found(("/api/patients", query)) {
                same($0.string("first_name") ?? "", first) && same($0.string("last_name") ?? "", last)
                    && ($0.dateTime("date_of_birth")?.dateString ?? "") == born
            }
        case .claimNote:
            // A claim note: the visit's notes, its marker in the text.
            return try await found(("/api/claim_billing_notes", ["appointment": entry.target.id])) {
                ($0.string("text") ?? "").contains(entry.marker)
            }
        case .payment(let payment, _, _):
            // A payment: among the patient's payments (a few pages at most), the one with
            // its marker in the notes. Not `since` the day it was taken: DrChrono stamps
            // it on its own clock, which a lost answer near midnight must not outwit.
            return try await found(("/api/patient_payments", ["patient": String(payment.patient)])) {
                ($0.string("notes") ?? "").contains(entry.marker)
            }
        case .book(let booking):
            let query = ["date": booking.scheduledTime.dateString, "doctor": String(booking.doctor)]
            return try await found(("/api/appointments", query)) { ($0.string("notes") ?? "").contains(entry.marker) }
        case .changeVisit, .claimStatus, .removeVisit, .fixCharge, .voidCharge, .changePatient:
            // Nothing new is made: an update is found applied or sent again.
            return nil
        }
    }

    /// The first row of a listing that `matches`, page by page.
    private func first(
        _ listing: (path: String, query: [String: String]), through client: DrChronoClient, where matches: (JSONObject) -> Bool
    ) async throws -> JSONObject? {
        for try await page in client.pages(listing.path, query: listing.query, priority: .write) {
            if let found = page.first(where: matches) { return found }
        }
        return nil
    }

    /// Whether an update whose answer was lost (or whose sender stopped mid-request)
    /// already took: the record at DrChrono has every field as the entry would set it.
    /// Then it is confirmed, not sent again. (A void is done when DrChrono no longer
    /// knows the charge; that is found by sending it, answered 404.)
    func alreadyApplied(_ entry: Entry, through client: DrChronoClient) async throws -> Bool {
        let fields = entry.write.fields
        let path: String
        switch entry.write {
        case .changeVisit, .claimStatus: path = "/api/appointments/\(entry.target.id)"
        case .changePatient: path = "/api/patients/\(entry.target.id)"
        case .fixCharge(let id, _): path = "/api/line_items/\(id)"
        case .book, .removeVisit, .register, .payment, .charge, .voidCharge, .attach, .claimNote:
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
