import DrChronoAPI
import Foundation

/// The front desk's other endpoints: patient payments, eligibility checks and the
/// doctors' work schedules.
extension SandboxState {
    func frontDesk(_ route: APIRoute, _ request: SandboxRequest) -> SandboxResponse? {
        switch (route.resource, request.method) {
        case ("patient_payments", "GET"):
            if let text = route.id {
                return Int(text).flatMap { practice.payments[$0] }.map { .json(200, $0.json) } ?? .notFound
            }
            return listPayments(request)
        case ("patient_payments", "POST") where route.id == nil:
            switch WriteBody.parse(request) {
            case .success(let body): return createPayment(body.fields, request)
            case .failure(let response): return response
            }
        case ("eligibility_checks", "GET"): return eligibility(route, request)
        case ("line_item_deletions", "GET") where route.id == nil:
            // Voided charges, oldest first, by `since` and `appointment_id`.
            var filters = QueryFilters(request.query)
            let since = filters.dateTime("since")
            let appointment = filters.int("appointment_id")
            guard filters.errors.isEmpty else { return .fieldErrors(filters.errors) }
            let rows = practice.lineItemDeletions.filter {
                (since == nil || $0.at >= since!) && (appointment == nil || $0.appointment == appointment)
            }
            return page(request, rows: rows.map(\.json), lastCursor: nil, hasMore: false)
        case ("doctor_work_schedule", "GET"):
            if let text = route.id {
                return Int(text).flatMap { practice.workSchedules[$0] }.map { .json(200, $0.json) } ?? .notFound
            }
            var filters = QueryFilters(request.query)
            let doctor = filters.int("doctor")
            let office = filters.int("office")
            guard filters.errors.isEmpty else { return .fieldErrors(filters.errors) }
            return pageById(
                request, practice.workSchedules, id: \.id,
                include: { (doctor == nil || $0.doctor == doctor) && (office == nil || $0.office == office) },
                json: \.json)
        case ("patient_payments", _), ("eligibility_checks", _), ("doctor_work_schedule", _), ("line_item_deletions", _):
            return .methodNotAllowed(request.method)
        default:
            return nil
        }
    }

    func listPayments(_ request: SandboxRequest) -> SandboxResponse {
        var filters = QueryFilters(request.query)
        let since = filters.dateTime("since")
        let patient = filters.int("patient")
        let doctor = filters.int("doctor")
        let posted = filters.date("posted_date")?.dateString
        guard filters.errors.isEmpty else { return .fieldErrors(filters.errors) }
        return pageById(
            request, practice.payments, id: \.id,
            include: { p in
                (since == nil || p.updatedAt >= since!) && (patient == nil || p.patient == patient) && (doctor == nil || p.doctor == doctor)
                    && (posted == nil || p.postedDate == posted)
            }, json: \.json)
    }

    /// `POST /api/patient_payments`: a payment on the patient's account, tied to a visit
    /// when one is named (its doctor then is the visit's).
    func createPayment(_ fields: JSONObject, _ request: SandboxRequest) -> SandboxResponse {
        var reader = FieldReader(fields)
        reader.require("patient", "amount")
        let patient = reader.reference("patient") { self.practice.patients[$0] != nil }
        let appointment = reader.reference("appointment") { self.practice.appointments[$0] != nil }
        let doctor = reader.reference("doctor") { self.practice.doctors[$0] != nil }
        let amount = reader.double("amount")
        if let amount, amount == 0 { reader.errors.add("amount", "Amount of cash for this payment cannot be zero.") }
        if let amount, !(amount.isFinite && abs(amount) < 100_000_000) {
            reader.errors.add("amount", "Ensure that there are no more than 10 digits in total.")
        }
        let method = reader.choice("payment_method", PaymentRecord.methods) ?? "CASH"
        let kind = reader.choice("payment_transaction_type", PaymentRecord.transactionTypes) ?? ""
        let received = reader.date("received_date")
        let notes = reader.string("notes", maxLength: 1000) ?? ""
        let trace = reader.string("trace_number", maxLength: 100) ?? ""
        if let appointment, let patient, let visit = practice.appointments[appointment], visit.patient != patient {
            reader.errors.add("appointment", "The appointment is not this patient's.")
        }
        guard reader.errors.isEmpty, let patient, let amount, let record = practice.patients[patient] else {
            return .fieldErrors(reader.errors)
        }
        let now = localNow
        let payment = PaymentRecord(
            id: max(900_000, practice.payments.lastId) + 1, patient: patient,
            doctor: appointment.flatMap { practice.appointments[$0]?.doctor } ?? doctor ?? record.doctor, appointment: appointment,
            amount: amount, method: method, transactionType: kind, receivedDate: received ?? now.dateString, postedDate: now.dateString,
            notes: notes, traceNumber: trace, createdBy: practice.staff.first { $0.id == request.user }?.username ?? "",
            createdAt: now, updatedAt: now)
        practice.payments.insert(payment, id: payment.id)
        return .json(201, payment.json)
    }

    /// `GET /api/eligibility_checks[/{id}]`: the checks DrChrono ran, by visit, patient,
    /// doctor, visit date or range, or the date they ran; without dates, a week back and
    /// two days ahead.
    func eligibility(_ route: APIRoute, _ request: SandboxRequest) -> SandboxResponse {
        let now = localNow
        if let text = route.id {
            guard let id = Int(text), let visit = practice.appointments[id - EligibilityChecks.idOffset],
                let check = EligibilityChecks.check(
                    for: visit, insurance: visit.patient.flatMap { practice.patients[$0]?.insurance }, now: now)
            else { return .notFound }
            return .json(200, check)
        }
        var filters = QueryFilters(request.query)
        let appointment = filters.int("appointment")
        let patient = filters.int("patient")
        let doctor = filters.int("doctor")
        let day = filters.date("appointment_date")
        let range = filters.dateRange("appointment_date_range", maxDays: 190)
        let queryDay = filters.date("query_date")
        let queryRange = filters.dateRange("query_date_range", maxDays: 190)
        guard filters.errors.isEmpty else { return .fieldErrors(filters.errors) }
        let listing: Listing
        switch Listing.parse(request, cap: 250) {
        case .success(let value): listing = value
        case .failure(let response): return response
        }
        let days: ClosedRange<Int>
        if let day {
            days = day.dayNumber...day.dayNumber
        } else if let range {
            days = range.lowerBound.dayNumber...range.upperBound.dayNumber
        } else if let appointment, let visit = practice.appointments[appointment] {
            days = visit.scheduledTime.dayNumber...visit.scheduledTime.dayNumber
        } else {
            days = now.adding(days: -7).dayNumber...now.adding(days: 2).dayNumber
        }
        var rows: [(Int, JSONValue)] = []
        for id in practice.appointmentIds(onDays: days).sorted() {
            if let after = listing.after, EligibilityChecks.idOffset + id <= after.id { continue }
            guard let visit = practice.appointments[id], appointment == nil || id == appointment,
                patient == nil || visit.patient == patient, doctor == nil || visit.doctor == doctor,
                let check = EligibilityChecks.check(
                    for: visit, insurance: visit.patient.flatMap { practice.patients[$0]?.insurance }, now: now)
            else { continue }
            if queryDay != nil || queryRange != nil {
                guard let ran = check.objectValue?.dateTime("query_date") else { continue }
                if let queryDay, ran.dayNumber != queryDay.dayNumber { continue }
                if let queryRange, !(queryRange.lowerBound.dayNumber...queryRange.upperBound.dayNumber).contains(ran.dayNumber) { continue }
            }
            rows.append((EligibilityChecks.idOffset + id, check))
            if rows.count > listing.pageSize { break }
        }
        let hasMore = rows.count > listing.pageSize
        if hasMore { rows.removeLast() }
        return page(request, rows: rows.map(\.1), lastCursor: rows.last.map { Cursor(key: 0, id: $0.0) }, hasMore: hasMore)
    }
}
