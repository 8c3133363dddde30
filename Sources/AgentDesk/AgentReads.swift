import DrChronoAPI
import Foundation
import GRDB
import Mirror
import Practice

/// The reads: each from the mirror in one read transaction, bounded in rows (a page and
/// the cursor for the next) and in the length of any text DrChrono sent.
extension AgentDesk {
    /// Rows in one page of a list answer: enough for an agent to work a day from, small
    /// enough to read in one breath (and to build in a few milliseconds at 120 doctors).
    static let pageSize = 50
    /// Rows a patient search answers at most: enough to pick from, not a list of the practice.
    static let searchRows = 20
    /// Characters kept of one free-text value (a note's, a reason): the rest is said to be cut.
    static let textLimit = 4_000

    func schedule(_ arguments: ToolArguments) throws -> ToolAnswer {
        let day = try arguments.day("day", default: now, today: now)
        let cursor = max(0, try arguments.optionalInt("cursor") ?? 0)
        return try mirror.read { db in
            let doctor = try arguments.optionalString("doctor").map { try Self.doctor($0, among: try MirrorQueries.doctors(db)) }
            // One page read, not the whole day: a practice of 120 doctors has thousands of visits a day.
            let (page, total) = try MirrorQueries.daySchedulePage(
                db, day: day.dateString, doctor: doctor?.id, office: try arguments.optionalInt("office"), limit: Self.pageSize,
                offset: cursor)
            let names = try MirrorQueries.patientNames(db, ids: page.compactMap(\.patient))
            let doctors = try MirrorQueries.doctorLastNames(db, ids: page.compactMap(\.doctor))
            var answer: JSONObject = [
                "day": .string(day.dateString), "visits": .array(page.map { Self.visitRow($0, names: names, doctors: doctors) }),
                "count": .int(total),
            ]
            if cursor + page.count < total { answer["next_cursor"] = .int(cursor + page.count) }
            return .result(answer)
        }
    }

    func freeSlots(_ arguments: ToolArguments) throws -> ToolAnswer {
        let from = try arguments.day("from", default: now, today: now)
        let limit = min(20, max(1, try arguments.optionalInt("limit") ?? 10))
        return try mirror.read { db in
            let doctors = try MirrorQueries.doctors(db)
            let doctor = try arguments.optionalString("doctor").map { try Self.doctor($0, among: doctors) }
            let type = try arguments.optionalString("visit_type").map { try Self.visitType($0, in: db) }
            let minutes = try arguments.optionalInt("minutes") ?? type?.duration ?? 30
            guard (5...480).contains(minutes) else { throw ToolFailure.badArgument("minutes", "between 5 and 480") }
            var request = SlotFinder.Request(
                doctors: doctor.map { [$0.id] }, office: try arguments.optionalInt("office"), duration: minutes, from: from)
            request.limit = limit
            let slots = try SlotFinder.find(request, now: now, in: db)
            let offices = try MirrorQueries.offices(db)
            return .result([
                "minutes": .int(minutes),
                "slots": .array(
                    slots.map { slot in
                        .object([
                            "start": .string(Self.minutes(slot.start)), "doctor": .int(slot.doctor),
                            "doctor_name": .string(doctors.first { $0.id == slot.doctor }?.displayName ?? ""),
                            "office": .int(slot.office), "office_name": .string(offices.first { $0.id == slot.office }?.name ?? ""),
                            "exam_room": .int(slot.room),
                        ])
                    }),
            ])
        }
    }

    func searchPatients(_ arguments: ToolArguments) throws -> ToolAnswer {
        let query = try arguments.string("query")
        return try mirror.read { db in
            let found = try MirrorQueries.searchPatients(db, query, limit: Self.searchRows + 1)
            let next = try MirrorQueries.nextAppointments(db, patients: found.map(\.id), after: now)
            return .result([
                "patients": .array(
                    found.prefix(Self.searchRows).map { patient in
                        .object([
                            "id": .int(patient.id), "name": .string(Self.name(patient)), "born": .string(patient.dateOfBirth ?? ""),
                            "chart_id": .string(patient.chartId), "next_visit": .string(next[patient.id].map(Self.minutes) ?? ""),
                        ])
                    }),
                "more": .bool(found.count > Self.searchRows),
            ])
        }
    }

    func patientSummary(_ arguments: ToolArguments) throws -> ToolAnswer {
        let id = try arguments.int("patient")
        return try mirror.read { db in
            guard let patient = try MirrorQueries.patient(db, id: id) else { throw ToolFailure.notFound("Patient \(id)") }
            let chart = try MirrorQueries.chart(db, patient: id)
            let record = try MirrorQueries.patientRecord(db, id: id) ?? [:]
            var insurance: [JSONValue] = []
            for card in ["primary_insurance", "secondary_insurance"] {
                guard let plan = record[card]?.objectValue, let payer = plan.string("insurance_company"), !payer.isEmpty else { continue }
                insurance.append(
                    .object([
                        "which": .string(card == "primary_insurance" ? "primary" : "secondary"), "payer": .string(payer),
                        "plan": .string(plan.string("insurance_plan_name") ?? ""),
                    ]))
            }
            let eligibility = try MirrorQueries.latestEligibility(db, patient: id)
            let upcoming = try MirrorQueries.nextAppointments(db, patients: [id], after: now)[id]
            return .result([
                "id": .int(id), "name": .string(Self.name(patient)), "born": .string(patient.dateOfBirth ?? ""),
                "sex": .string(patient.gender), "chart_id": .string(patient.chartId),
                "phones": .array([patient.cellPhone, patient.homePhone].filter { !$0.isEmpty }.map { .string($0) }),
                "email": .string(patient.email), "insurance": .array(insurance),
                "eligibility": eligibility.map { .string($0.summary) } ?? .null,
                "problems": .array(
                    chart.problems.map { .object(["name": .string($0.name), "icd10": .string($0.icdCode), "status": .string($0.status)]) }),
                "medications": .array(
                    chart.medications.map {
                        .object(["name": .string($0.name), "dosage": .string($0.dosage), "status": .string($0.status)])
                    }),
                "allergies": .array(
                    chart.allergies.map { .object(["substance": .string($0.description), "reaction": .string($0.reaction)]) }),
                "notes": .int(chart.notes.count), "documents": .int(chart.documents.count),
                "next_visit": .string(upcoming.map(Self.minutes) ?? ""),
            ])
        }
    }

    func visit(_ arguments: ToolArguments) throws -> ToolAnswer {
        let id = try arguments.string("appointment")
        return try mirror.read { db in
            guard let visit = try MirrorQueries.appointment(db, id: id) else { throw ToolFailure.notFound("Visit \(id)") }
            let doctors = try MirrorQueries.doctorLastNames(db, ids: visit.doctor.map { [$0] } ?? [])
            let names = try MirrorQueries.patientNames(db, ids: visit.patient.map { [$0] } ?? [])
            let items = try MirrorQueries.lineItems(db, appointment: id)
            let total = items.reduce(0) { $0.adding(saturating: Money.line(priceCents: $1.priceCents, quantity: $1.quantity)) }
            var answer = Self.visitRow(visit, names: names, doctors: doctors).objectValue ?? [:]
            answer["billing_status"] = .string(try MirrorQueries.billingStatuses(db, appointments: [id])[id] ?? "")
            answer["charges"] = .array(
                items.map { item in
                    .object([
                        "line_item": .int(item.id), "code": .string(item.code), "quantity": .double(item.quantity),
                        "price": .string(Money(cents: item.priceCents).wire),
                        "diagnoses": .array(item.diagnosisPointers.map { .string($0) }),
                        "standing": .string(item.standing), "queued": .bool(item.id < 0),
                    ])
                })
            answer["total"] = .string(Money(cents: total).wire)
            answer["claim_notes"] = .array(
                try MirrorQueries.claimNotes(db, appointment: id).map { note in
                    .object(["text": .string(Self.cut(note.text)), "by": .string(note.by), "queued": .bool(note.waiting)])
                })
            return .result(answer)
        }
    }

    func clinicalNote(_ arguments: ToolArguments) throws -> ToolAnswer {
        let patient = try arguments.int("patient")
        let wanted = try arguments.optionalInt("note")
        return try mirror.read { db in
            // Newest visit first: a note's id says when it was made, not when it was for.
            let when = { (note: ClinicalNote) -> String in
                try note.appointment.flatMap { try MirrorQueries.appointment(db, id: $0) }?.scheduledTime?.description ?? ""
            }
            let notes = try MirrorQueries.chart(db, patient: patient).notes.map { ($0, try when($0)) }
                .sorted { ($0.1, $0.0.id) > ($1.1, $1.0.id) }.map(\.0)
            guard let note = wanted.map({ id in notes.first { $0.id == id } }) ?? notes.first else {
                throw ToolFailure.notFound(wanted.map { "Note \($0) of patient \(patient)" } ?? "A note for patient \(patient)")
            }
            let fields = try MirrorQueries.noteFieldNames(db, ids: note.sections.flatMap { $0.values.compactMap(\.field) })
            let visit = try note.appointment.flatMap { try MirrorQueries.appointment(db, id: $0) }
            return .result([
                "note": .int(note.id), "patient": .int(patient), "visit": .string(note.appointment ?? ""),
                "date": .string(visit?.scheduledTime?.dateString ?? ""), "signed_by": .string(note.lockedBy ?? ""),
                "other_notes": .array(notes.filter { $0.id != note.id }.prefix(Self.pageSize).map { .int($0.id) }),
                "sections": .array(
                    note.sections.map { section in
                        .object([
                            "name": .string(section.name),
                            "values": .array(
                                section.values.map { value in
                                    .object([
                                        "field": .string(value.field.flatMap { fields[$0] } ?? ""), "value": .string(Self.cut(value.value)),
                                    ])
                                }),
                        ])
                    }),
            ])
        }
    }

    func confirmationList(_ arguments: ToolArguments) throws -> ToolAnswer {
        let day = try arguments.day("day", default: now.startOfDay.adding(days: 1), today: now)
        let cursor = max(0, try arguments.optionalInt("cursor") ?? 0)
        return try mirror.read { db in
            let rows = try VisitToConfirm.list(db, day: day.dateString).filter { $0.toConfirm || $0.coverageFlag != nil }
            let page = rows.dropFirst(cursor).prefix(Self.pageSize)
            var answer: JSONObject = [
                "day": .string(day.dateString), "count": .int(rows.count),
                "visits": .array(
                    page.map { row in
                        .object([
                            "appointment": .string(row.appointment.id),
                            "start": .string(row.appointment.scheduledTime.map(Self.minutes) ?? ""),
                            "patient": .int(row.appointment.patient ?? 0), "patient_name": .string(row.patientName),
                            "doctor_name": .string(row.doctorName), "phones": .array(row.phones.map { .string($0) }),
                            "status": .string(row.appointment.statusLabel), "to_confirm": .bool(row.toConfirm),
                            "coverage": .string(row.coverageFlag ?? ""), "message_left": .string(row.appointment.lastMessageLeft ?? ""),
                        ])
                    }),
            ]
            if cursor + page.count < rows.count { answer["next_cursor"] = .int(cursor + page.count) }
            return .result(answer)
        }
    }

    func dayTotals(_ arguments: ToolArguments) throws -> ToolAnswer {
        let day = try arguments.day("day", default: now, today: now)
        return try mirror.read { db in
            let rows = try MirrorQueries.dayTotals(db, day: day.dateString)
            func money(_ cents: Int) -> JSONValue { .string(Money(cents: cents).wire) }
            func line(_ total: MirrorQueries.DayTotal) -> JSONObject {
                [
                    "office": .string(total.office), "doctor": .string(total.doctor), "charges": .int(total.charges),
                    "billed": money(total.chargedCents), "adjusted": money(total.adjustmentCents),
                    "insurance_paid": money(total.insurancePaidCents), "payments": .int(total.payments),
                    "received": money(total.paymentCents), "net": money(total.netCents), "queued": .int(total.queued),
                ]
            }
            return .result([
                "day": .string(day.dateString), "rows": .array(rows.map { .object(line($0)) }),
                "total": .object(line(MirrorQueries.sum(rows))),
            ])
        }
    }

    func copyState() async throws -> ToolAnswer {
        let budget = await budget()
        return try mirror.read { db in
            let checked = try MirrorQueries.scheduleCheckedAt(db)
            let entries = try Outbox.entries(db)
            return .result([
                "schedule_age_seconds": checked.map { .int(max(0, Int(clock().timeIntervalSince($0)))) } ?? .null,
                "requests_left_this_hour": budget.map { .int($0.left) } ?? .null,
                "requests_per_hour": budget.map { .int($0.hourly) } ?? .null,
                "queued": .int(entries.filter { !$0.state.needsAttention }.count),
                "refused": .int(entries.filter(\.state.needsAttention).count),
                "patients": .int(try MirrorQueries.count(db, .patients)),
            ])
        }
    }

    // MARK: Shared

    /// A visit as a list shows it; `doctors`: last names by id.
    static func visitRow(_ visit: Appointment, names: [Int: String], doctors: [Int: String]) -> JSONValue {
        .object([
            "appointment": .string(visit.id), "start": .string(visit.scheduledTime.map(minutes) ?? ""), "minutes": .int(visit.duration),
            "patient": visit.patient.map { .int($0) } ?? .null, "patient_name": .string(visit.patient.flatMap { names[$0] } ?? ""),
            "doctor": visit.doctor.map { .int($0) } ?? .null,
            "doctor_name": .string(visit.doctor.flatMap { doctors[$0] }.map(Doctor.displayName(lastName:)) ?? ""),
            "office": visit.office.map { .int($0) } ?? .null, "exam_room": visit.examRoom.map { .int($0) } ?? .null,
            "status": .string(visit.isBreak ? "Break" : visit.statusLabel), "reason": .string(cut(visit.reason)),
        ])
    }

    static func doctor(_ typed: String, among doctors: [Doctor]) throws -> Doctor {
        guard let doctor = Doctor.named(typed, among: doctors) else {
            throw ToolFailure.badArgument("doctor", "one of: " + doctors.map { "\($0.id) (\($0.displayName))" }.joined(separator: ", "))
        }
        return doctor
    }

    static func visitType(_ typed: String, in db: Database) throws -> AppointmentProfile {
        let types = try MirrorQueries.visitTypes(db)
        let match = Int(typed).flatMap { id in types.first { $0.id == id } } ?? types.first { $0.name.lowercased() == typed.lowercased() }
        guard let match else {
            throw ToolFailure.badArgument("visit_type", "one of: " + types.map { "\($0.id) (\($0.name))" }.joined(separator: ", "))
        }
        return match
    }

    static func name(_ patient: Patient) -> String { "\(patient.lastName), \(patient.firstName)" }

    /// `2026-12-03T09:30`.
    static func minutes(_ time: LocalDateTime) -> String { String(time.description.prefix(16)) }

    static func cut(_ text: String) -> String {
        text.count <= textLimit ? text : String(text.prefix(textLimit)) + " … [cut: \(text.count) characters in all]"
    }
}
