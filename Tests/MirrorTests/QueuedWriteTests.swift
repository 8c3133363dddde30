import DrChronoAPI
import Foundation
import Mirror
import Testing

/// A queued write is stored as DrChrono's fields and read back typed: every kind, as the
/// pusher will send it and as a surface hands it out.
@Suite("Queued writes read back as they were made")
struct QueuedWriteTests {
    /// One write of each kind; the switch is exhaustive, so a new kind needs one here.
    static func sample(_ kind: WriteKind) -> QueuedWrite {
        let time = LocalDateTime(year: 2026, month: 3, day: 5, hour: 9, minute: 15)
        switch kind {
        case .appointmentCreate:
            var booking = Outbox.Booking(doctor: 1, office: 10, examRoom: 2, patient: -7, scheduledTime: time, duration: 30)
            (booking.reason, booking.notes, booking.profile, booking.color) = ("Follow-up", "bring list [ct:0000beef]", 8, "#33AA66")
            booking.allowOverlapping = true
            return .book(booking)
        case .appointmentUpdate: return .changeVisit(VisitChange(status: "Arrived", scheduledTime: time, examRoom: 1, doctor: 2))
        case .appointmentBillingStatus: return .claimStatus("Bill Insurance")
        case .claimNoteCreate: return .claimNote("Called payer [ct:00c0ffee]")
        case .appointmentDelete: return .removeVisit
        case .lineItemCreate:
            var charge = Outbox.Charge(code: "99214", procedureType: "C", diagnosisPointers: ["I10", "E11.9"], priceCents: 16_500)
            (charge.modifiers, charge.quantity) = (["25"], 2)
            return .charge(charge, local: LocalRecord(id: -42, knownIds: [3, 5]))
        case .lineItemUpdate: return .fixCharge(lineItem: 7001, ChargeChange(diagnosisPointers: ["J06.9"], price: Money(cents: -150)))
        case .lineItemDelete: return .voidCharge(lineItem: 7002, code: "93000")
        case .documentCreate:
            return .attach(
                Attachment(patient: 100, doctor: 1, description: "Insurance card", date: "2026-03-04"), local: LocalRecord(id: -9))
        case .patientCreate:
            return .register(PatientFields(["first_name": "Zoë", "last_name": "O'Brien", "date_of_birth": "1990-12-01"]), localId: -3)
        case .patientUpdate:
            return .changePatient(PatientFields(["cell_phone": "555-010-0000", "primary_insurance": ["insurance_id_number": "X1"]]))
        case .paymentCreate:
            var payment = Outbox.Payment(patient: 100, appointment: "2001", amountCents: 2_500, method: "CRDT", kind: "COPAY")
            payment.notes = "[ct:12345678]"
            return .payment(payment, receivedDate: "2026-03-04", local: LocalRecord(id: -11))
        }
    }

    @Test("every kind: its case decides its kind, and what is stored reads back the same")
    func storedRoundTrip() {
        for kind in WriteKind.allCases {
            let write = Self.sample(kind)
            #expect(write.kind == kind)
            #expect(QueuedWrite(kind: kind, stored: write.stored) == write, "\(kind.rawValue)")
        }
    }

    @Test("every kind encodes and decodes as {kind, fields}; an unknown kind is refused, not guessed")
    func codable() throws {
        for kind in WriteKind.allCases {
            let write = Self.sample(kind)
            let data = try JSONEncoder().encode(write)
            let back = try JSONDecoder().decode(QueuedWrite.self, from: data)
            #expect(back == write, "\(kind.rawValue): \(back) \(String(decoding: data, as: UTF8.self))")
        }
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(QueuedWrite.self, from: Data(#"{"kind": "appointment.teleport", "fields": {}}"#.utf8))
        }
    }

    @Test("DrChrono gets its own fields only: no local id, no noted siblings; a correction only what changed")
    func fieldsSent() {
        let charge = Self.sample(.lineItemCreate)
        #expect(charge.fields["local_id"] == nil && charge.fields["known_ids"] == nil)
        #expect(charge.fields.string("price") == "165.00" && charge.stored.int("local_id") == -42)
        let fix = Self.sample(.lineItemUpdate).fields
        #expect(fix.keys == ["diagnosis_pointers", "price"] && fix.string("price") == "-1.50")
        #expect(Self.sample(.patientCreate).fields["local_id"] == nil)
        #expect(Self.sample(.appointmentDelete).fields.isEmpty)
    }

    @Test("a stored write with fields missing or mangled reads as empty, never traps")
    func tolerant() {
        for kind in WriteKind.allCases {
            let write = QueuedWrite(kind: kind, stored: ["price": .string("lots"), "patient": .array([]), "scheduled_time": .int(3)])
            #expect(write.kind == kind)
        }
    }
}
