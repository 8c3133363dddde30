import DrChronoAPI
import Foundation

/// The biller's and clinician's lists: fee schedules, billing profiles, claim notes,
/// lab orders and results.
extension SandboxState {
    func billing(_ route: APIRoute, _ request: SandboxRequest) -> SandboxResponse? {
        guard
            ["fee_schedules", "billing_profiles", "lab_orders", "lab_results", "patient_lab_results", "claim_billing_notes"].contains(
                route.resource)
        else {
            return nil
        }
        var filters = QueryFilters(request.query)
        let doctor = filters.int("doctor")
        let since = filters.dateTime("since")
        let id = route.id.flatMap { Int($0) }
        if route.id != nil && id == nil { return .notFound }
        let response: SandboxResponse
        switch (route.resource, request.method) {
        case ("fee_schedules", "GET"):
            if let id { return practice.feeSchedules[id].map { .json(200, $0.json) } ?? .notFound }
            let code = filters.string("code")?.uppercased()
            let type = filters.string("code_type")
            let payer = filters.string("payer_id")
            response = pageById(
                request, practice.feeSchedules, id: \.id,
                include: {
                    (doctor == nil || $0.doctor == doctor) && (code == nil || $0.code == code) && (type == nil || $0.codeType == type)
                        && (payer == nil || $0.payerId == payer) && (since == nil || $0.updatedAt >= since!)
                }, json: \.json)
        case ("billing_profiles", "GET"):
            if let id { return practice.billingProfiles[id].map { .json(200, $0.json) } ?? .notFound }
            response = pageById(request, practice.billingProfiles, id: \.id, include: { _ in true }, json: \.json)
        case ("lab_orders", "GET"):
            if let id { return practice.labOrders[id].map { .json(200, $0.json) } ?? .notFound }
            let patient = filters.int("patient")
            response = pageById(
                request, practice.labOrders, id: \.id,
                include: {
                    (doctor == nil || $0.doctor == doctor) && (patient == nil || $0.patient == patient) && (since == nil || $0.at >= since!)
                },
                json: \.json)
        case ("lab_results", "GET"):
            if let id { return practice.labResults[id].map { .json(200, $0.json) } ?? .notFound }
            let order = filters.int("order")
            response = pageById(
                request, practice.labResults, id: \.id,
                include: { (doctor == nil || $0.doctor == doctor) && (order == nil || $0.order == order) },
                json: \.json)
        case ("patient_lab_results", "GET"):
            if let id { return practice.patientLabResults[id].map { .json(200, $0.json) } ?? .notFound }
            let patient = filters.int("patient")
            let ordering = filters.int("ordering_doctor")
            response = pageById(
                request, practice.patientLabResults, id: \.id,
                include: {
                    (doctor == nil || $0.doctor == doctor) && (ordering == nil || $0.doctor == ordering)
                        && (patient == nil || $0.patient == patient)
                        && (since == nil || $0.updatedAt >= since!)
                },
                json: \.json)
        case ("claim_billing_notes", "GET"):
            if let id { return practice.claimNotes[id].map { .json(200, $0.json) } ?? .notFound }
            let appointment = filters.int("appointment")
            response = pageById(
                request, practice.claimNotes, id: \.id,
                include: { note in
                    (appointment == nil || note.appointment == appointment)
                        && (doctor == nil || self.practice.appointments[note.appointment]?.doctor == doctor)
                }, json: \.json)
        case ("claim_billing_notes", "POST") where id == nil:
            let fields: JSONObject
            switch WriteBody.parse(request) {
            case .success(let body): fields = body.fields
            case .failure(let response): return response
            }
            var reader = FieldReader(fields)
            reader.require("appointment", "text")
            let appointment = reader.reference("appointment") { self.practice.appointments[$0] != nil }
            let text = reader.string("text", maxLength: 5000)
            guard reader.errors.isEmpty, let appointment, let text else { return .fieldErrors(reader.errors) }
            let note = ClaimNoteRecord(
                id: max(890_000, practice.claimNotes.lastId) + 1, appointment: appointment, text: text,
                createdBy: practice.staff.first { $0.id == request.user }?.username ?? "", at: localNow)
            practice.claimNotes.insert(note, id: note.id)
            return .json(201, note.json)
        case ("fee_schedules", _), ("billing_profiles", _), ("lab_orders", _), ("lab_results", _), ("patient_lab_results", _),
            ("claim_billing_notes", _):
            return .methodNotAllowed(request.method)
        default:
            return nil
        }
        return filters.errors.isEmpty ? response : .fieldErrors(filters.errors)
    }
}
