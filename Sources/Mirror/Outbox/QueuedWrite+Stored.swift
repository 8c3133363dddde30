import DrChronoAPI
import Foundation

/// The one place that knows how a queued write is stored: DrChrono's own field names,
/// plus `local_id` and `known_ids` for a create shown here first. (The renames that
/// follow a confirmed create rewrite `$.patient` and `$.line_item` in SQL: those keys
/// are DrChrono's, so they are the same here.)
extension QueuedWrite {
    /// Reads a stored write of `kind`. Tolerant as everything from disk is: a field
    /// missing reads as empty, and DrChrono refuses what cannot be sent.
    public init(kind: WriteKind, stored: JSONObject) {
        let s = stored
        switch kind {
        case .appointmentCreate:
            var booking = Outbox.Booking(
                doctor: s.int("doctor") ?? 0, office: s.int("office") ?? 0, examRoom: s.int("exam_room") ?? 0,
                patient: s.int("patient") ?? 0, scheduledTime: s.dateTime("scheduled_time") ?? LocalDateTime(year: 1, month: 1, day: 1),
                duration: s.int("duration") ?? 0)
            booking.reason = s.string("reason") ?? ""
            booking.notes = s.string("notes") ?? ""
            booking.profile = s.int("profile")
            booking.color = s.string("color")
            booking.allowOverlapping = s.bool("allow_overlapping") ?? false
            self = .book(booking)
        case .appointmentUpdate:
            self = .changeVisit(
                VisitChange(
                    status: s.string("status"), scheduledTime: s.dateTime("scheduled_time"), examRoom: s.int("exam_room"),
                    doctor: s.int("doctor"), notes: s.string("notes"), allowOverlapping: s.bool("allow_overlapping") ?? false))
        case .appointmentBillingStatus: self = .claimStatus(s.string("billing_status") ?? "")
        case .claimNoteCreate: self = .claimNote(s.string("text") ?? "")
        case .appointmentDelete: self = .removeVisit
        case .lineItemCreate:
            var charge = Outbox.Charge(
                code: s.string("code") ?? "", procedureType: s.string("procedure_type") ?? "",
                diagnosisPointers: s.strings("diagnosis_pointers"), priceCents: Self.cents(s, "price") ?? 0)
            charge.modifiers = s.strings("modifiers")
            charge.units = s.string("units") ?? "UN"
            charge.quantity = s.double("quantity") ?? 1
            self = .charge(charge, local: Self.local(s))
        case .lineItemUpdate:
            var change = ChargeChange()
            change.code = s.string("code")
            change.procedureType = s.string("procedure_type")
            change.modifiers = s["modifiers"] == nil ? nil : s.strings("modifiers")
            change.diagnosisPointers = s["diagnosis_pointers"] == nil ? nil : s.strings("diagnosis_pointers")
            change.quantity = s.double("quantity")
            change.price = Self.cents(s, "price").map { Money(cents: $0) }
            self = .fixCharge(lineItem: s.int("line_item") ?? 0, change)
        case .lineItemDelete: self = .voidCharge(lineItem: s.int("line_item") ?? 0, code: s.string("code") ?? "")
        case .documentCreate:
            self = .attach(
                Attachment(
                    patient: s.int("patient") ?? 0, doctor: s.int("doctor") ?? 0, description: s.string("description") ?? "",
                    date: s.string("date") ?? ""), local: Self.local(s))
        case .patientCreate:
            var fields = s
            fields["local_id"] = nil
            self = .register(PatientFields(fields), localId: s.int("local_id") ?? 0)
        case .patientUpdate: self = .changePatient(PatientFields(s))
        case .paymentCreate:
            var payment = Outbox.Payment(
                patient: s.int("patient") ?? 0, appointment: s.string("appointment"), amountCents: Self.cents(s, "amount") ?? 0,
                method: s.string("payment_method") ?? "", kind: s.string("payment_transaction_type") ?? "")
            payment.notes = s.string("notes") ?? ""
            self = .payment(payment, receivedDate: s.string("received_date") ?? "", local: Self.local(s))
        }
    }

    /// What is stored: DrChrono's fields and the local bookkeeping.
    public var stored: JSONObject {
        var s = fields
        switch self {
        case .charge(_, let local), .attach(_, let local), .payment(_, _, let local):
            s["local_id"] = .int(local.id)
            if let known = local.knownIds { s["known_ids"] = .array(known.sorted().map { .int($0) }) }
        case .register(_, let id): s["local_id"] = .int(id)
        case .fixCharge(let id, _), .voidCharge(let id, _): s["line_item"] = .int(id)
        case .book, .changeVisit, .claimStatus, .claimNote, .removeVisit, .changePatient: break
        }
        return s
    }

    /// DrChrono's fields, as its create or update takes them (an upload's are sent as
    /// a form beside the file; a charge, a claim note and a payment are given their
    /// visit by the pusher, which knows its id at DrChrono).
    public var fields: JSONObject {
        switch self {
        case .book(let booking):
            var s: JSONObject = [
                "doctor": .int(booking.doctor), "office": .int(booking.office), "exam_room": .int(booking.examRoom),
                "patient": .int(booking.patient), "scheduled_time": .string(booking.scheduledTime.description),
                "duration": .int(booking.duration), "reason": .string(booking.reason), "notes": .string(booking.notes),
            ]
            if let profile = booking.profile { s["profile"] = .int(profile) }
            if let color = booking.color, !color.isEmpty { s["color"] = .string(color) }
            if booking.allowOverlapping { s["allow_overlapping"] = .bool(true) }
            return s
        case .changeVisit(let change):
            var s = JSONObject()
            if let status = change.status { s["status"] = .string(status) }
            if let time = change.scheduledTime { s["scheduled_time"] = .string(time.description) }
            if let room = change.examRoom { s["exam_room"] = .int(room) }
            if let doctor = change.doctor { s["doctor"] = .int(doctor) }
            if let notes = change.notes { s["notes"] = .string(notes) }
            if change.allowOverlapping { s["allow_overlapping"] = .bool(true) }
            return s
        case .claimStatus(let status): return ["billing_status": .string(status)]
        case .claimNote(let text): return ["text": .string(text)]
        case .removeVisit: return [:]
        case .charge(let charge, _):
            return [
                "code": .string(charge.code), "procedure_type": .string(charge.procedureType),
                "modifiers": .array(charge.modifiers.map { .string($0) }),
                "diagnosis_pointers": .array(charge.diagnosisPointers.map { .string($0) }),
                "units": .string(charge.units), "quantity": .double(charge.quantity),
                "price": .string(Money(cents: charge.priceCents).wire),
            ]
        case .fixCharge(_, let change): return change.fields
        case .voidCharge(_, let code): return ["code": .string(code)]
        case .attach(let a, _):
            return ["patient": .int(a.patient), "doctor": .int(a.doctor), "description": .string(a.description), "date": .string(a.date)]
        case .register(let patient, _), .changePatient(let patient): return patient.fields
        case .payment(let payment, let received, _):
            var s: JSONObject = [
                "patient": .int(payment.patient), "amount": .string(Money(cents: payment.amountCents).wire),
                "payment_method": .string(payment.method), "payment_transaction_type": .string(payment.kind),
                "received_date": .string(received), "notes": .string(payment.notes),
            ]
            if let visit = payment.appointment { s["appointment"] = .string(visit) }
            return s
        }
    }

    private static func local(_ s: JSONObject) -> LocalRecord {
        LocalRecord(id: s.int("local_id") ?? 0, knownIds: s["known_ids"]?.arrayValue.map { Set($0.compactMap(\.intValue)) })
    }

    private static func cents(_ s: JSONObject, _ key: String) -> Int? {
        Money(json: s[key]).map { Int(clamping: $0.cents) }
    }
}

extension ChargeChange {
    /// DrChrono's fields of a correction: only those that change.
    public var fields: JSONObject {
        var s = JSONObject()
        if let code { s["code"] = .string(code) }
        if let procedureType { s["procedure_type"] = .string(procedureType) }
        if let modifiers { s["modifiers"] = .array(modifiers.map { .string($0) }) }
        if let diagnosisPointers { s["diagnosis_pointers"] = .array(diagnosisPointers.map { .string($0) }) }
        if let quantity { s["quantity"] = .double(quantity) }
        if let price { s["price"] = .string(price.wire) }
        return s
    }
}

extension QueuedWrite: Codable {
    private enum CodingKeys: String, CodingKey { case kind, fields }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let name = try container.decode(String.self, forKey: .kind)
        guard let kind = WriteKind(rawValue: name) else {
            throw DecodingError.dataCorruptedError(forKey: .kind, in: container, debugDescription: "no write is called \(name)")
        }
        guard case .object(let stored) = try container.decode(JSONValue.self, forKey: .fields) else {
            throw DecodingError.dataCorruptedError(forKey: .fields, in: container, debugDescription: "a write's fields are an object")
        }
        self.init(kind: kind, stored: stored)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind.rawValue, forKey: .kind)
        try container.encode(JSONValue.object(stored), forKey: .fields)
    }
}
