import DrChronoAPI
import Foundation

/// A write's fields (JSON, form-encoded or multipart, as DrChrono accepts all three)
/// and any uploaded files.
struct WriteBody {
    var fields = JSONObject()
    var files: [String: MultipartPart] = [:]

    static func parse(_ request: SandboxRequest) -> Result<WriteBody, SandboxResponse> {
        let type = (request.header("content-type") ?? "").lowercased()
        var body = WriteBody()
        if request.body.isEmpty { return .success(body) }
        if type.hasPrefix("application/json") || type.isEmpty {
            guard let value = try? JSONValue.parse(Data(request.body)) else {
                return .failure(.detail(400, "JSON parse error - the request body is not valid JSON."))
            }
            guard case .object(let object) = value else {
                return .failure(
                    .json(
                        400,
                        .object(["non_field_errors": .array([.string("Invalid data. Expected a dictionary, but got \(value.typeName).")])]))
                )
            }
            body.fields = object
        } else if type.hasPrefix("application/x-www-form-urlencoded") {
            for (key, value) in FormDecoding.urlEncoded(Substring(String(decoding: request.body, as: UTF8.self))) {
                body.fields[key] = .string(value)
            }
        } else if type.hasPrefix("multipart/form-data") {
            guard let parts = Multipart.parse(request.body, contentType: request.header("content-type") ?? "") else {
                return .failure(.detail(400, "Multipart form parse error - the body does not match its boundary."))
            }
            for part in parts {
                if part.fileName != nil {
                    body.files[part.name] = part
                } else {
                    body.fields[part.name] = .string(String(decoding: part.data, as: UTF8.self))
                }
            }
        } else {
            return .failure(.detail(415, "Unsupported media type \"\(type)\" in request."))
        }
        return .success(body)
    }
}

extension SandboxState {
    static let appointmentStatuses = [
        "", "Arrived", "Checked In", "Checked In Online", "In Room", "In Session", "Complete",
        "Confirmed", "Not Confirmed", "Rescheduled", "Cancelled", "No Show",
    ]

    func write(_ route: APIRoute, _ request: SandboxRequest) -> SandboxResponse {
        let id = route.id.flatMap { Int($0) }
        if route.id != nil && id == nil { return .notFound }
        let body: WriteBody
        switch WriteBody.parse(request) {
        case .success(let parsed): body = parsed
        case .failure(let response): return response
        }
        if let refused = refusal(route.resource, id: id, fields: body.fields, user: request.user) { return refused }
        switch (route.resource, request.method, id) {
        case ("appointments", "POST", nil): return createAppointment(body.fields, request)
        case ("appointments", "PATCH", let id?): return updateAppointment(id, body.fields, partial: true)
        case ("appointments", "PUT", let id?): return updateAppointment(id, body.fields, partial: false)
        case ("appointments", "DELETE", let id?): return deleteAppointment(id)
        case ("patients", "POST", nil): return createPatient(body.fields)
        case ("patients", "PATCH", let id?): return updatePatient(id, body.fields, partial: true)
        case ("patients", "PUT", let id?): return updatePatient(id, body.fields, partial: false)
        case ("line_items", "POST", nil): return createLineItem(body.fields)
        case ("line_items", "PATCH", let id?): return updateLineItem(id, body.fields, partial: true)
        case ("line_items", "PUT", let id?): return updateLineItem(id, body.fields, partial: false)
        case ("line_items", "DELETE", let id?): return deleteLineItem(id)
        case ("documents", "POST", nil): return createDocument(body, request)
        default: return .methodNotAllowed(request.method)
        }
    }

    // MARK: Appointments

    func createAppointment(_ fields: JSONObject, _ request: SandboxRequest) -> SandboxResponse {
        let now = localNow
        var appointment = AppointmentRecord(
            id: practice.appointments.lastId + 1, doctor: 0, office: 0, examRoom: 0, patient: nil, scheduledTime: now,
            duration: 30, status: "", reason: "", notes: "", profile: nil, isBreak: false, isWalkIn: false,
            allowOverlapping: false, deleted: false, icd10Codes: [], color: "", createdAt: now, updatedAt: now)
        if let error = apply(fields, to: &appointment, partial: false) { return error }
        practice.insertAppointment(appointment)
        let json = appointment.json(note: nil)
        enqueueWebhook("APPOINTMENT_CREATE", json)
        return .json(201, json)
    }

    func updateAppointment(_ id: Int, _ fields: JSONObject, partial: Bool) -> SandboxResponse {
        guard var appointment = practice.appointments[id], !appointment.deleted else { return .notFound }
        if let error = apply(fields, to: &appointment, partial: partial) { return error }
        appointment.updatedAt = localNow
        practice.insertAppointment(appointment)
        enqueueWebhook("APPOINTMENT_MODIFY", appointment.json(note: practice.note(forAppointment: id)))
        return .noContent
    }

    func deleteAppointment(_ id: Int) -> SandboxResponse {
        guard let appointment = practice.appointments[id], !appointment.deleted else { return .notFound }
        let now = localNow
        let deleted = practice.updateAppointment(id) {
            $0.deleted = true; $0.updatedAt = now
        }!
        enqueueWebhook("APPOINTMENT_MODIFY", deleted.json(note: practice.note(forAppointment: id)))
        return .noContent
    }

    /// Validates `fields` onto `appointment`; answers the 400 or 409 DrChrono would.
    func apply(_ fields: JSONObject, to appointment: inout AppointmentRecord, partial: Bool) -> SandboxResponse? {
        var reader = FieldReader(fields)
        let isBreak = reader.bool("appt_is_break") ?? appointment.isBreak
        if !partial {
            reader.require("doctor", "exam_room", "office", "scheduled_time")
            if !isBreak { reader.require("patient") }
        }
        let doctor = reader.reference("doctor") { self.practice.doctors[$0] != nil }
        let office = reader.reference("office") { self.practice.offices[$0] != nil }
        let patient = reader.reference("patient") { self.practice.patients[$0] != nil }
        let profile = reader.reference("profile") { self.practice.profiles[$0] != nil }
        let room = reader.int("exam_room")
        let time = reader.dateTime("scheduled_time")
        let duration = reader.int("duration")
        if let duration, duration <= 0 || duration > 24 * 60 { reader.errors.add("duration", "Ensure this value is between 1 and 1440.") }
        let status = reader.choice("status", SandboxState.appointmentStatuses)
        let reason = reader.string("reason", maxLength: 255)
        let notes = reader.string("notes", maxLength: 10_000)
        let overlapAllowed = reader.bool("allow_overlapping")
        let walkIn = reader.bool("is_walk_in")
        let codes = reader.stringList("icd10_codes")
        let color = reader.string("color", maxLength: 7)
        let billingStatus = reader.string("billing_status", maxLength: 100)

        if let doctor { appointment.doctor = doctor }
        if let office { appointment.office = office }
        if fields["patient"]?.isNull == true, partial || isBreak {
            appointment.patient = nil
        } else if let patient {
            appointment.patient = patient
        }
        if let room { appointment.examRoom = room }
        if let time { appointment.scheduledTime = time }
        if let profile {
            appointment.profile = profile
            if duration == nil && !partial, let p = practice.profiles[profile] { appointment.duration = p.duration }
        }
        if let duration { appointment.duration = duration }
        if let status { appointment.status = status }
        if let reason { appointment.reason = reason }
        if let notes { appointment.notes = notes }
        if let overlapAllowed { appointment.allowOverlapping = overlapAllowed }
        if let walkIn { appointment.isWalkIn = walkIn }
        if let codes { appointment.icd10Codes = codes }
        if let color { appointment.color = color }
        if let billingStatus { appointment.billingStatus = billingStatus }
        appointment.isBreak = isBreak

        if reader.errors.isEmpty, let office = practice.offices[appointment.office],
            !office.examRooms.contains(where: { $0.index == appointment.examRoom })
        {
            reader.errors.add(
                "exam_room",
                "Exam room \(appointment.examRoom) does not exist in office \(office.id); it has rooms 1 to \(office.examRooms.count).")
        }
        guard reader.errors.isEmpty else { return .fieldErrors(reader.errors) }

        let timeChanged = time != nil || room != nil || doctor != nil || office != nil || duration != nil || profile != nil || status != nil
        if timeChanged, appointment.blocksTime, !(overlapAllowed ?? false) {
            let clashes = practice.overlapping(
                doctor: appointment.doctor, office: appointment.office, room: appointment.examRoom,
                start: appointment.scheduledTime, minutes: appointment.duration, excluding: appointment.id)
            if !clashes.isEmpty {
                return .json(
                    409,
                    .object([
                        "detail": .string(
                            "This appointment overlaps with another appointment of the doctor or exam room. Pass allow_overlapping to book it anyway."
                        ),
                        "overlapping_appointments": .array(clashes.map { .string(String($0.id)) }),
                    ]))
            }
        }
        return nil
    }

    // MARK: Patients

    func createPatient(_ fields: JSONObject) -> SandboxResponse {
        let now = localNow
        var patient = PatientRecord(
            id: practice.patients.lastId + 1, chartId: "", firstName: "", middleName: "", lastName: "", nickName: "",
            dateOfBirth: nil, gender: "", email: "", cellPhone: "", homePhone: "", address: "", city: "", state: "", zip: "",
            doctor: 0, offices: [], patientStatus: "A", preferredLanguage: "blank", copay: nil, createdAt: now, updatedAt: now,
            cards: PatientCards())
        if let error = apply(fields, to: &patient, partial: false) { return error }
        if patient.chartId.isEmpty { patient.chartId = "SBX\(patient.id)" }
        let duplicate = practice.patients.all.first {
            $0.firstName.lowercased() == patient.firstName.lowercased() && $0.lastName.lowercased() == patient.lastName.lowercased()
                && $0.dateOfBirth == patient.dateOfBirth && $0.gender == patient.gender
        }
        if let duplicate {
            return .json(
                409, .object(["detail": "A patient with this name, date of birth and gender already exists.", "id": .int(duplicate.id)]))
        }
        practice.patients.insert(patient, id: patient.id)
        enqueueWebhook("PATIENT_CREATE", patient.json)
        return .json(201, patient.json)
    }

    func updatePatient(_ id: Int, _ fields: JSONObject, partial: Bool) -> SandboxResponse {
        guard var patient = practice.patients[id] else { return .notFound }
        if let error = apply(fields, to: &patient, partial: partial) { return error }
        patient.updatedAt = localNow
        practice.patients.insert(patient, id: id)
        enqueueWebhook("PATIENT_MODIFY", patient.json)
        return .noContent
    }

    func apply(_ fields: JSONObject, to patient: inout PatientRecord, partial: Bool) -> SandboxResponse? {
        var reader = FieldReader(fields)
        if !partial { reader.require("doctor", "gender") }
        if let doctor = reader.reference("doctor", exists: { self.practice.doctors[$0] != nil }) { patient.doctor = doctor }
        if let gender = reader.choice("gender", ["", "Male", "Female", "Other", "UNK", "ASKU"]) { patient.gender = gender }
        if let status = reader.choice("patient_status", ["A", "I", "D"]) { patient.patientStatus = status }
        let text: [(String, WritableKeyPath<PatientRecord, String>)] = [
            ("first_name", \.firstName), ("middle_name", \.middleName), ("last_name", \.lastName), ("nick_name", \.nickName),
            ("chart_id", \.chartId), ("email", \.email), ("cell_phone", \.cellPhone), ("home_phone", \.homePhone),
            ("address", \.address), ("city", \.city), ("state", \.state), ("zip_code", \.zip),
        ]
        for (key, path) in text { if let value = reader.string(key, maxLength: 255) { patient[keyPath: path] = value } }
        if let language = reader.choice(
            "preferred_language", ["blank", "eng", "zho", "fra", "ita", "jpn", "por", "rus", "spa", "other", "unknown", "declined"])
        {
            patient.preferredLanguage = language
        }
        if reader.present("date_of_birth") { patient.dateOfBirth = reader.date("date_of_birth") }
        if fields["copay"] == .string("") {
            patient.copay = nil
        } else if reader.present("copay") {
            patient.copay = reader.double("copay").map(Money.format)
        }
        // Insurance rides on the patient, as nested objects; a partial object changes
        // only the fields it names.
        if fields["primary_insurance"] != nil || fields["secondary_insurance"] != nil {
            var cards = patient.insurance
            if let value = fields["primary_insurance"], !value.isNull {
                cards.primary.apply(value, field: "primary_insurance", errors: &reader.errors)
            }
            if let value = fields["secondary_insurance"], !value.isNull {
                cards.secondary.apply(value, field: "secondary_insurance", errors: &reader.errors)
            }
            patient.cards = cards
        }
        if let offices = reader.stringList("offices") {
            let ids = offices.compactMap { Int($0) }
            if ids.count != offices.count || ids.contains(where: { practice.offices[$0] == nil }) {
                reader.errors.add("offices", "Invalid pk - object does not exist.")
            } else {
                patient.offices = ids
            }
        }
        return reader.errors.isEmpty ? nil : .fieldErrors(reader.errors)
    }

    // MARK: Line items

    func createLineItem(_ fields: JSONObject) -> SandboxResponse {
        let now = localNow
        var item = LineItemRecord(
            id: practice.lineItems.lastId + 1, appointment: 0, patient: 0, doctor: 0, code: "", procedureType: "C", description: "",
            modifiers: [], diagnosisPointers: [], units: "UN", quantity: 1, price: 0, serviceDate: "", postedDate: nil, billingStatus: "",
            createdAt: now, updatedAt: now)
        if let error = apply(fields, to: &item, partial: false) { return error }
        practice.lineItems.insert(item, id: item.id)
        return .json(201, item.json)
    }

    /// `PATCH` (`partial`) or `PUT /api/line_items/{id}`: a charge corrected — code,
    /// price, modifiers, diagnoses — checked as a new one is.
    func updateLineItem(_ id: Int, _ fields: JSONObject, partial: Bool) -> SandboxResponse {
        guard var item = practice.lineItems[id] else { return .notFound }
        if let error = apply(fields, to: &item, partial: partial) { return error }
        item.updatedAt = localNow
        item.adjudicated = false  // a corrected charge is billed anew
        practice.lineItems.insert(item, id: id)
        return .noContent
    }

    /// `DELETE /api/line_items/{id}`: the charge is voided — gone from the lists, and
    /// reported by `/api/line_item_deletions`.
    func deleteLineItem(_ id: Int) -> SandboxResponse {
        guard let item = practice.lineItems[id], practice.lineItems.remove(id) else { return .notFound }
        practice.lineItemDeletions.append(LineItemDeletion(lineItem: id, appointment: item.appointment, at: localNow))
        return .noContent
    }

    /// Validates `fields` onto `item` as DrChrono's serializer does; answers the 400.
    func apply(_ fields: JSONObject, to item: inout LineItemRecord, partial: Bool) -> SandboxResponse? {
        var reader = FieldReader(fields)
        if !partial { reader.require("appointment", "code", "procedure_type", "diagnosis_pointers") }
        let appointmentId = reader.reference("appointment") { self.practice.appointments[$0] != nil }
        let type = reader.choice("procedure_type", ["C", "H", "U", "S"])
        let code = reader.string("code", maxLength: 20)?.trimmingCharacters(in: .whitespaces).uppercased()
        if let code, !code.isEmpty, let problem = BillingCodes.problem(code: code, procedureType: type ?? item.procedureType) {
            reader.errors.add("code", problem)
        }
        let pointers = reader.stringList("diagnosis_pointers")
        if let pointers {
            if pointers.count > 4 { reader.errors.add("diagnosis_pointers", "Ensure this field has no more than 4 elements.") }
            for pointer in pointers where !BillingCodes.isDiagnosisPointer(pointer) {
                reader.errors.add(
                    "diagnosis_pointers", "\"\(pointer)\" is neither an ICD-10 code (as I10 or E11.9) nor a pointer from 1 to 12.")
            }
        }
        let modifiers = reader.stringList("modifiers")
        if let modifiers {
            if modifiers.count > 4 { reader.errors.add("modifiers", "Ensure this field has no more than 4 elements.") }
            for modifier in modifiers where !BillingCodes.isModifier(modifier) {
                reader.errors.add("modifiers", "\"\(modifier)\" is not a modifier: two letters or digits, as 25 or LT.")
            }
        }
        // DrChrono keeps money and quantities as decimals of ten digits, two after the
        // point: anything past that (or not a number) is a 400, never a crash.
        let price = reader.double("price")
        if let price, price < 0 { reader.errors.add("price", "Ensure this value is greater than or equal to 0.") }
        if let price, !(price.isFinite && price < 100_000_000) {
            reader.errors.add("price", "Ensure that there are no more than 10 digits in total.")
        }
        let quantity = reader.double("quantity")
        if let quantity, quantity <= 0 { reader.errors.add("quantity", "Ensure this value is greater than 0.") }
        if let quantity, !(quantity.isFinite && quantity < 100_000_000) {
            reader.errors.add("quantity", "Ensure that there are no more than 10 digits in total.")
        }
        let units = reader.string("units", maxLength: 10)
        let serviceDate = reader.date("service_date")
        let description = reader.string("description", maxLength: 255)
        guard reader.errors.isEmpty else { return .fieldErrors(reader.errors) }
        if let appointmentId, let appointment = practice.appointments[appointmentId] {
            item.appointment = appointmentId
            item.patient = appointment.patient ?? 0
            item.doctor = appointment.doctor
            if item.serviceDate.isEmpty { item.serviceDate = appointment.scheduledTime.dateString }
        }
        if let type { item.procedureType = type }
        if let code {
            item.code = code
            if description == nil { item.description = SyntheticPeople.description(of: code) }
        }
        if let description { item.description = description }
        if let pointers { item.diagnosisPointers = pointers.map { $0.uppercased() } }
        if let modifiers { item.modifiers = modifiers.map { $0.uppercased() } }
        if let price { item.price = price }
        if let quantity { item.quantity = quantity }
        if let units { item.units = units }
        if let serviceDate { item.serviceDate = serviceDate }
        return nil
    }

    // MARK: Documents

    func createDocument(_ body: WriteBody, _ request: SandboxRequest) -> SandboxResponse {
        var reader = FieldReader(body.fields)
        reader.require("doctor", "patient", "description", "date")
        let doctor = reader.reference("doctor") { self.practice.doctors[$0] != nil }
        let patient = reader.reference("patient") { self.practice.patients[$0] != nil }
        let description = reader.string("description", maxLength: 255)
        let date = reader.date("date")
        let tags = reader.stringList("metatags") ?? []
        let file = body.files["document"]
        if file == nil { reader.errors.add("document", "No file was submitted.") }
        if let file, file.data.isEmpty { reader.errors.add("document", "The submitted file is empty.") }
        guard reader.errors.isEmpty, let doctor, let patient, let description, let date, let file else {
            return .fieldErrors(reader.errors)
        }
        let record = DocumentRecord(
            id: practice.documents.lastId + 1, patient: patient, doctor: doctor, description: description, date: date,
            metatags: tags, fileName: DocumentNames.safe(file.fileName ?? "document"),
            contentType: file.contentType ?? "application/octet-stream", bytes: file.data, archived: false, updatedAt: localNow)
        practice.documents.insert(record, id: record.id)
        return .json(201, record.json(baseURL: baseURL(request)))
    }
}

enum DocumentNames {
    /// A file name safe to put in a URL path: letters, digits, dot, dash, underscore.
    static func safe(_ name: String) -> String {
        let cleaned = String(
            name.unicodeScalars.map { scalar -> Character in
                scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || ".-_".unicodeScalars.contains(scalar))
                    ? Character(scalar) : "_"
            }.suffix(100))
        return cleaned.isEmpty ? "document" : cleaned
    }
}
