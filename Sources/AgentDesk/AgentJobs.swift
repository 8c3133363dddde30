import DrChronoAPI
import Foundation
import GRDB
import Mirror
import Practice

/// The day's jobs for an agent, each done by the practice's ``Desk`` — the same checks
/// and the same queue as the console. `perform` reads the agent's arguments into the
/// job's typed input and runs it; a preview runs it as a rehearsal (rolled back).
extension AgentDesk {
    /// What came of a job: queued (with what was made), warnings to accept, or refused.
    struct JobResult {
        var outcome: Outcome<JSONValue>
        /// The job in a sentence: "Book Smith, James with Dr. Patel on 2026-12-03 at 09:30 for 30 minutes".
        var summary: String
    }

    func perform(_ tool: AgentTool, _ arguments: ToolArguments, desk: Desk, confirmed: Bool) throws -> JobResult {
        switch tool {
        case .book: return try book(arguments, desk: desk, confirmed: confirmed)
        case .move:
            let id = try arguments.string("appointment")
            let time = try arguments.time("start")
            let doctor = try arguments.optionalString("doctor").map { typed in
                try mirror.read { db in try Self.doctor(typed, among: try MirrorQueries.doctors(db)) }
            }
            let room = try arguments.optionalInt("exam_room")
            guard time != nil || doctor != nil || room != nil else { throw ToolFailure.missing("start, exam_room or doctor") }
            return JobResult(
                outcome: try desk.move(id, to: time, examRoom: room, doctor: doctor?.id).map { .string(id) },
                summary: "Move visit \(id)" + (time.map { " to \(Self.minutes($0))" } ?? "")
                    + (doctor.map { " to \($0.displayName)" } ?? "")
                    + (room.map { " to room \($0)" } ?? ""))
        case .setStatus:
            let id = try arguments.string("appointment")
            let typed = try arguments.string("status")
            guard
                let status = VisitStatus.allCases.first(where: {
                    $0.label.lowercased() == typed.lowercased() || $0.rawValue.lowercased() == typed.lowercased()
                })
            else { throw ToolFailure.badArgument("status", "one of: " + VisitStatus.allCases.map(\.label).joined(separator: ", ")) }
            return JobResult(outcome: try desk.setStatus(status, of: id).map { .string(id) }, summary: "Set visit \(id) to \(status.label)")
        case .cancel:
            let id = try arguments.string("appointment")
            return JobResult(outcome: try desk.cancel(id).map { .string(id) }, summary: "Cancel visit \(id)")
        case .registerPatient: return try register(arguments, desk: desk)
        case .editPatient:
            let id = try arguments.int("patient")
            var fields = JSONObject()
            for key in ["cell_phone", "home_phone", "email", "address", "city", "state", "zip_code"] {
                if let value = arguments.optionalString(key) { fields[key] = .string(value) }
            }
            return JobResult(
                outcome: try desk.changePatient(id, PatientFields(fields)).map { .int(id) },
                summary: "Change patient \(id): " + fields.keys.joined(separator: ", "))
        case .takePayment: return try takePayment(arguments, desk: desk)
        case .addCharge: return try addCharge(arguments, desk: desk, confirmed: confirmed)
        case .correctCharge:
            let id = try arguments.int("line_item")
            var change = ChargeChange()
            change.code = arguments.optionalString("code")?.uppercased()
            change.procedureType = change.code.map(ChargeCheck.procedureType(of:))
            change.price = try arguments.optionalString("price").map { typed in
                guard let money = Money(typed: typed) else { throw ToolFailure.badArgument("price", "dollars, as 125.00") }
                return money
            }
            change.quantity = try arguments.double("quantity")
            change.diagnosisPointers = try arguments.strings("diagnoses")?.map { $0.uppercased() }
            change.modifiers = try arguments.strings("modifiers")
            return JobResult(outcome: try desk.fixCharge(id, change).map { .int(id) }, summary: "Correct charge \(id)")
        case .voidCharge:
            let id = try arguments.int("line_item")
            return JobResult(outcome: try desk.voidCharge(id).map { .int(id) }, summary: "Void charge \(id)")
        case .claimStatus:
            let id = try arguments.string("appointment")
            let typed = try arguments.string("status")
            guard let status = BillingStatus.allCases.first(where: { $0.rawValue.lowercased() == typed.lowercased() }) else {
                throw ToolFailure.badArgument("status", "one of: " + BillingStatus.allCases.map(\.rawValue).joined(separator: ", "))
            }
            return JobResult(
                outcome: try desk.setClaimStatus(status, of: id).map { .string(id) },
                summary: "Set visit \(id)'s claim to \(status.rawValue)")
        case .claimNote:
            let id = try arguments.string("appointment")
            let text = try arguments.string("text")
            guard text.count <= 1_000 else { throw ToolFailure.badArgument("text", "at most 1,000 characters") }
            return JobResult(outcome: try desk.noteClaim(text, on: id).map { .string(id) }, summary: "Note on visit \(id)'s claim")
        case .schedule, .freeSlots, .searchPatients, .patientSummary, .visit, .clinicalNote, .confirmationList, .dayTotals, .copyState,
            .writeQueue, .confirm, .cancelWrite:
            throw ToolFailure.refused("'\(tool.rawValue)' is not one of the day's jobs.")
        }
    }

    private func book(_ arguments: ToolArguments, desk: Desk, confirmed: Bool) throws -> JobResult {
        let patient = try arguments.int("patient")
        guard let start = try arguments.time("start") else { throw ToolFailure.missing("start") }
        return try mirror.read { db in
            let doctors = try MirrorQueries.doctors(db)
            let doctor = try Self.doctor(try arguments.string("doctor"), among: doctors)
            let type = try arguments.optionalString("visit_type").map { try Self.visitType($0, in: db) }
            let minutes = try arguments.optionalInt("minutes") ?? type?.duration ?? 30
            guard (5...480).contains(minutes) else { throw ToolFailure.badArgument("minutes", "between 5 and 480") }
            // The office and room the doctor works in at that time, unless the agent says.
            var request = SlotFinder.Request(
                doctors: [doctor.id], office: try arguments.optionalInt("office"), duration: minutes, from: start)
            request.horizon = 1
            request.limit = 200
            let slot = try SlotFinder.find(request, now: min(desk.now, start), in: db).first { $0.start == start }
            let office = try arguments.optionalInt("office") ?? slot?.office ?? MirrorQueries.offices(db).first?.id ?? 0
            var booking = Outbox.Booking(
                doctor: doctor.id, office: office, examRoom: try arguments.optionalInt("exam_room") ?? slot?.room ?? 1, patient: patient,
                scheduledTime: start, duration: minutes)
            booking.reason = arguments.optionalString("reason") ?? type?.reason ?? ""
            booking.profile = type?.id
            booking.color = type?.color
            let name = try MirrorQueries.patientNames(db, ids: [patient])[patient] ?? "patient \(patient)"
            return JobResult(
                outcome: try desk.book(booking, confirmed: confirmed).map { .string($0) },
                summary:
                    "Book \(name) with \(doctor.displayName) on \(Self.minutes(start)) for \(minutes) minutes, office \(office) room \(booking.examRoom)"
            )
        }
    }

    private func register(_ arguments: ToolArguments, desk: Desk) throws -> JobResult {
        var fields: JSONObject = [
            "first_name": .string(try arguments.string("first_name")), "last_name": .string(try arguments.string("last_name")),
        ]
        let born = try arguments.day("date_of_birth", today: now)
        fields["date_of_birth"] = .string(born.dateString)
        fields["gender"] = .string(arguments.optionalString("gender") ?? "UNK")
        for key in ["cell_phone", "email"] { if let value = arguments.optionalString(key) { fields[key] = .string(value) } }
        let doctors = try mirror.read { db in try MirrorQueries.doctors(db) }
        let doctor = try arguments.optionalString("doctor").map { try Self.doctor($0, among: doctors) } ?? doctors.first
        if let doctor { fields["doctor"] = .int(doctor.id) }
        return JobResult(
            outcome: try desk.register(PatientFields(fields)).map { .int($0) },
            summary: "Register \(fields.string("last_name") ?? ""), \(fields.string("first_name") ?? ""), born \(born.dateString)")
    }

    private func takePayment(_ arguments: ToolArguments, desk: Desk) throws -> JobResult {
        let patient = try arguments.int("patient")
        guard let amount = Money(typed: try arguments.string("amount")), amount.cents > 0 else {
            throw ToolFailure.badArgument("amount", "dollars and cents more than nothing, as 25.00")
        }
        let methodText = try arguments.string("method").lowercased()
        guard
            let method = PaymentMethod.allCases.first(where: {
                $0.label.lowercased() == methodText || $0.rawValue.lowercased() == methodText
            })
        else {
            throw ToolFailure.badArgument(
                "method", "one of: " + PaymentMethod.allCases.map { $0.label.lowercased() }.joined(separator: ", "))
        }
        let visit = arguments.optionalString("appointment")
        let kindText = arguments.optionalString("kind")?.lowercased() ?? (visit == nil ? "on account" : "copay")
        guard let kind = PaymentKind.allCases.first(where: { $0.label.lowercased() == kindText }) else {
            throw ToolFailure.badArgument("kind", "one of: " + PaymentKind.allCases.map { $0.label.lowercased() }.joined(separator: ", "))
        }
        var payment = Outbox.Payment(
            patient: patient, appointment: visit, amountCents: Int(amount.cents), method: method.rawValue, kind: kind.rawValue)
        payment.takenBy = person.name
        return JobResult(
            outcome: try desk.takePayment(payment).map { .int($0) },
            summary: "Take \(amount.formatted) \(method.label.lowercased()) from patient \(patient)"
                + (visit.map { " for visit \($0)" } ?? ""))
    }

    private func addCharge(_ arguments: ToolArguments, desk: Desk, confirmed: Bool) throws -> JobResult {
        let id = try arguments.string("appointment")
        let code = try arguments.string("code").uppercased()
        guard let diagnoses = try arguments.strings("diagnoses")?.map({ $0.uppercased() }), !diagnoses.isEmpty else {
            throw ToolFailure.missing("diagnoses")
        }
        let price: Int =
            try arguments.optionalString("price").map { typed in
                guard let money = Money(typed: typed) else { throw ToolFailure.badArgument("price", "dollars, as 125.00") }
                return Int(money.cents)
            }
            ?? mirror.read { db in
                // The fee schedule's price, as the console's charge form takes it.
                guard let visit = try MirrorQueries.appointment(db, id: id) else { return 0 }
                return try MirrorQueries.feePrices(db, for: visit)[code] ?? 0
            }
        var charge = Outbox.Charge(
            code: code, procedureType: ChargeCheck.procedureType(of: code), diagnosisPointers: diagnoses, priceCents: price)
        charge.quantity = try arguments.double("quantity") ?? 1
        charge.modifiers = try arguments.strings("modifiers") ?? []
        return JobResult(
            outcome: try desk.addCharge(charge, to: id, confirmed: confirmed).map { .int($0) },
            summary:
                "Charge \(code) at \(Money(cents: price).formatted) × \(charge.quantity) for \(diagnoses.joined(separator: ", ")) on visit \(id)"
        )
    }
}
