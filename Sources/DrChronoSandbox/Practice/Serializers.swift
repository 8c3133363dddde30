import DrChronoAPI

// Wire JSON for each record, field by field as DrChrono's serializers write them.
// Types follow ../shared/drchrono/openapi-v4.yml: where it says a field is a string
// (an appointment's id, an office's doctor, a line item's units) a string is sent,
// so clients are tested against the types they will really meet.

extension DoctorRecord {
    func json(timeZone: String) -> JSONValue {
        var o = JSONObject()
        o["id"] = .int(id)
        o["first_name"] = .string(firstName)
        o["last_name"] = .string(lastName)
        o["suffix"] = .string(suffix)
        o["specialty"] = .string(specialty)
        o["email"] = .string(email)
        o["npi_number"] = .string(npi)
        o["office_phone"] = .string(officePhone)
        o["cell_phone"] = .string("")
        o["home_phone"] = .string("")
        o["job_title"] = .string("Provider/Staff (Private Practice)")
        o["website"] = .string("")
        o["profile_picture"] = .null
        o["country"] = .string("US")
        o["practice_group"] = .string("1")
        o["practice_group_name"] = .string("Sandbox Family Practice")
        o["timezone"] = .string(timeZone)
        o["is_account_suspended"] = .bool(false)
        return .object(o)
    }
}

extension OfficeRecord {
    var json: JSONValue {
        var o = JSONObject()
        o["id"] = .int(id)
        o["name"] = .string(name)
        o["address"] = .string(address)
        o["city"] = .string(city)
        o["state"] = .string(state)
        o["zip_code"] = .string(zip)
        o["country"] = .string("US")
        o["phone_number"] = .string(phone)
        o["fax_number"] = .string("")
        o["doctor"] = .string(String(doctor))
        o["start_time"] = .string(startTime + ":00")
        o["end_time"] = .string(endTime + ":00")
        o["archived"] = .bool(archived)
        o["online_scheduling"] = .bool(false)
        o["exam_rooms"] = .array(
            examRooms.map { room in
                .object(["index": .int(room.index), "name": .string(room.name), "online_scheduling": .bool(room.onlineScheduling)])
            })
        return .object(o)
    }
}

extension ProfileRecord {
    var json: JSONValue {
        var o = JSONObject()
        o["id"] = .int(id)
        o["name"] = .string(name)
        o["color"] = .string(color)
        o["duration"] = .int(duration)
        o["reason"] = .string(reason)
        o["doctor"] = .int(doctor)
        o["sort_order"] = .int(sortOrder)
        o["online_scheduling"] = .bool(false)
        o["archived"] = .bool(archived)
        return .object(o)
    }
}

extension PatientRecord {
    var json: JSONValue {
        var o = JSONObject()
        o["id"] = .int(id)
        o["chart_id"] = .string(chartId)
        o["first_name"] = .string(firstName)
        o["middle_name"] = .string(middleName)
        o["last_name"] = .string(lastName)
        o["nick_name"] = .string(nickName)
        o["date_of_birth"] = .string(dateOfBirth)
        o["gender"] = .string(gender)
        o["email"] = .string(email)
        o["cell_phone"] = .string(cellPhone)
        o["home_phone"] = .string(homePhone)
        o["office_phone"] = .string("")
        o["address"] = .string(address)
        o["city"] = .string(city)
        o["state"] = .string(state)
        o["zip_code"] = .string(zip)
        o["doctor"] = .int(doctor)
        o["offices"] = .array(offices.map { .int($0) })
        o["patient_status"] = .string(patientStatus)
        o["preferred_language"] = .string(preferredLanguage)
        o["copay"] = .string(copay)
        o["race"] = .string("blank")
        o["ethnicity"] = .string("blank")
        o["social_security_number"] = .string("")
        o["date_of_death"] = .null
        o["patient_photo"] = .null
        let cards = insurance
        o["primary_insurance"] = cards.primary.json
        o["secondary_insurance"] = cards.secondary.json
        o["patient_flags"] = .array([])
        o["custom_demographics"] = .array([])
        o["created_at"] = .string(createdAt.description)
        o["updated_at"] = .string(updatedAt.description)
        return .object(o)
    }
}

extension AppointmentRecord {
    /// `note` is the appointment's clinical note, summarised as DrChrono embeds it.
    ///
    /// `verbose` adds what DrChrono sends only with `verbose=true`: the visit's vitals.
    func json(note: ClinicalNoteRecord?, verbose: Bool = false) -> JSONValue {
        var o = JSONObject()
        o["id"] = .string(String(id))
        o["doctor"] = .int(doctor)
        o["office"] = .int(office)
        o["exam_room"] = .int(examRoom)
        o["patient"] = .int(patient)
        o["scheduled_time"] = .string(scheduledTime.description)
        o["duration"] = .int(duration)
        o["status"] = .string(status)
        o["reason"] = .string(reason)
        o["notes"] = .string(notes)
        o["profile"] = .int(profile)
        o["appt_is_break"] = .bool(isBreak)
        o["is_walk_in"] = .bool(isWalkIn)
        o["allow_overlapping"] = .bool(allowOverlapping)
        o["deleted_flag"] = .bool(deleted)
        o["color"] = .string(color)
        o["icd10_codes"] = .array(icd10Codes.map { .string($0) })
        o["icd9_codes"] = .array([])
        o["billing_status"] = .string(billingStatus)
        o["recurring_appointment"] = .bool(false)
        o["base_recurring_appointment"] = .null
        o["cloned_from"] = .null
        o["clinical_note"] =
            note.map { note in
                .object(["locked": .bool(note.lockedBy != nil), "pdf": .null, "updated_at": .string(note.updatedAt.description)])
            } ?? .null
        if verbose { o["vitals"] = .object(vitals) }
        o["ins1_status"] = .string(ins1Status)
        o["ins2_status"] = .string(ins2Status)
        o["last_billed_date"] = lastBilledDate.map { .string($0) } ?? .null
        o["first_billed_date"] = lastBilledDate.map { .string($0) } ?? .null
        o["reminders"] = .array([])
        o["status_transitions"] = .array([])
        o["created_at"] = .string(createdAt.description)
        o["updated_at"] = .string(updatedAt.description)
        return .object(o)
    }
}

extension AppointmentRecord {
    /// The vitals a nurse took once the patient was roomed, worked out from the visit so
    /// they read the same every time; one visit in six has a blood pressure high enough
    /// to notice. Nothing before the patient is in a room.
    var vitals: JSONObject {
        guard !isBreak, patient != nil, ["In Room", "In Session", "Complete"].contains(status) else { return [:] }
        let seed = id &* 2_654_435_761 & 0xFFFF
        let high = seed % 6 == 0
        let heightInches = 60 + seed % 14
        let weightPounds = 120 + seed % 90
        let bmi = Double(weightPounds) * 703 / Double(heightInches * heightInches)
        return [
            "blood_pressure_1": .int(high ? 150 + seed % 20 : 110 + seed % 25),
            "blood_pressure_2": .int(high ? 95 + seed % 10 : 70 + seed % 15),
            "pulse": .int(60 + seed % 35), "respiratory_rate": .int(12 + seed % 7), "oxygen_saturation": .double(Double(95 + seed % 5)),
            "temperature": .double(97.5 + Double(seed % 15) / 10), "temperature_units": "f",
            "height": .double(Double(heightInches)), "height_units": "inches", "weight": .double(Double(weightPounds)),
            "weight_units": "lbs",
            "bmi": .string(String(format: "%.1f", bmi)), "pain": .string(String(seed % 4)), "smoking_status": "",
            "head_circumference": .null, "head_circumference_units": "",
        ]
    }
}

extension ClinicalNoteRecord {
    var json: JSONValue {
        var o = JSONObject()
        // The OpenAPI file names no id for a clinical note; production sends one, and
        // a mirror cannot upsert without it.
        o["id"] = .int(id)
        o["appointment"] = .string(String(appointment))
        o["patient"] = .string(String(patient))
        o["archived"] = .bool(archived)
        o["signee"] = .object(["locked_by": .string(lockedBy), "supervisor_locked_by": .null])
        o["clinical_note_sections"] = .array(
            sections.map { section in
                .object([
                    "name": .string(section.name),
                    "clinical_note_template": .int(section.template),
                    "values": .array(
                        section.values.map { value in
                            .object(["id": .int(value.id), "clinical_note_field": .int(value.field), "value": .string(value.value)])
                        }),
                ])
            })
        o["created_at"] = .string(createdAt.description)
        o["updated_at"] = .string(updatedAt.description)
        return .object(o)
    }
}

extension FieldTypeRecord {
    var json: JSONValue {
        .object([
            "id": .int(id), "clinical_note_template": .int(template), "name": .string(name),
            "data_type": .string(dataType), "allow_multiple": .bool(allowMultiple), "archived": .bool(archived),
            "required": .bool(false), "comment": .string(""),
        ])
    }
}

extension ProblemRecord {
    var json: JSONValue {
        var o = JSONObject()
        o["id"] = .int(id)
        o["patient"] = .int(patient)
        o["doctor"] = .int(doctor)
        o["appointment"] = .int(appointment)
        o["name"] = .string(name)
        o["icd_code"] = .string(icdCode)
        o["icd_version"] = .string("10")
        o["status"] = .string(status)
        o["date_onset"] = .string(dateOnset)
        o["date_diagnosis"] = .string(dateDiagnosis)
        o["date_changed"] = .null
        o["notes"] = .string(notes)
        o["description"] = .string(name)
        o["category"] = .string("")
        o["snomed_ct_code"] = .string("")
        o["info_url"] = .string("")
        o["updated_at"] = .string(updatedAt.description)
        return .object(o)
    }
}

extension MedicationRecord {
    var json: JSONValue {
        var o = JSONObject()
        o["id"] = .int(id)
        o["patient"] = .int(patient)
        o["doctor"] = .int(doctor)
        o["appointment"] = .int(appointment)
        o["name"] = .string(name)
        o["rxnorm"] = .string(rxnorm)
        o["ndc"] = .string("")
        o["dosage_quantity"] = .string(dosageQuantity)
        o["dosage_units"] = .string(dosageUnits)
        o["frequency"] = .string(frequency)
        o["route"] = .string(route)
        o["status"] = .string(status)
        o["date_prescribed"] = .string(datePrescribed)
        o["date_started_taking"] = .string(dateStartedTaking)
        o["date_stopped_taking"] = .string(dateStoppedTaking)
        o["number_refills"] = .int(numberRefills)
        o["dispense_quantity"] = .double(30)
        o["prn"] = .bool(false)
        o["daw"] = .bool(false)
        o["notes"] = .string(notes)
        o["signature_note"] = .string("")
        o["pharmacy_note"] = .string("")
        o["indication"] = .string("")
        o["order_status"] = .string("")
        o["updated_at"] = .string(updatedAt.description)
        return .object(o)
    }
}

extension AllergyRecord {
    var json: JSONValue {
        .object([
            "id": .int(id), "patient": .int(patient), "doctor": .int(doctor),
            "description": .string(description), "reaction": .string(reaction), "status": .string(status),
            "notes": .string(notes), "snomed_code": .string(""), "snomed_reaction": .string(""),
            "rxnorm": .string(""), "verification_status": .string("confirmed"), "updated_at": .string(updatedAt.description),
        ])
    }
}

extension LineItemRecord {
    var json: JSONValue {
        var o = JSONObject()
        o["id"] = .int(id)
        o["appointment"] = .int(appointment)
        o["patient"] = .string(String(patient))
        o["doctor"] = .string(String(doctor))
        o["code"] = .string(code)
        o["procedure_type"] = .string(procedureType)
        o["description"] = .string(description)
        o["modifiers"] = .array(modifiers.map { .string($0) })
        o["diagnosis_pointers"] = .array(diagnosisPointers.map { .string($0) })
        o["units"] = .string(units)
        o["quantity"] = .double(quantity)
        o["price"] = .double(price)
        let billed = price * quantity
        func round(_ value: Double) -> Double { (value * 100).rounded() / 100 }
        let allowed = adjudicated ? round(billed * 0.8) : 0
        let insurancePaid = adjudicated && !isDenied ? round(allowed * 0.8) : 0
        let patientPaid = adjudicated && !isDenied ? round(allowed - insurancePaid) : 0
        let adjustment = adjudicated ? round(billed - allowed) : 0
        let patientOwes = adjudicated ? round(allowed - insurancePaid - patientPaid) : billed
        o["billed"] = .double(billed)
        o["allowed"] = .double(allowed)
        o["adjustment"] = .double(adjustment)
        o["ins1_paid"] = .double(insurancePaid)
        o["ins2_paid"] = .double(0)
        o["ins3_paid"] = .double(0)
        o["pt_paid"] = .double(patientPaid)
        o["balance_ins"] = .double(0)
        o["balance_pt"] = .double(patientOwes)
        o["paid_total"] = .string(Money.format(insurancePaid + patientPaid))
        o["ins_total"] = .string(Money.format(insurancePaid))
        o["balance_total"] = .string(Money.format(patientOwes))
        o["expected_reimbursement"] = .double(allowed)
        o["denied_flag"] = .bool(isDenied)
        o["billing_status"] = .string(billingStatus)
        o["insurance_status"] = .string("")
        o["service_date"] = .string(serviceDate)
        o["posted_date"] = .string(postedDate)
        o["updated_at"] = .string(updatedAt.description)
        return .object(o)
    }
}

extension DocumentRecord {
    func json(baseURL: String) -> JSONValue {
        var o = JSONObject()
        o["id"] = .int(id)
        o["patient"] = .int(patient)
        o["doctor"] = .int(doctor)
        o["description"] = .string(description)
        o["date"] = .string(date)
        // The OpenAPI file types metatags as a string: a JSON-encoded list.
        o["metatags"] = .string(JSONValue.array(metatags.map { .string($0) }).serializedString)
        o["document"] = .string("\(baseURL)/_sandbox/files/documents/\(id)/\(fileName)")
        o["archived"] = .bool(archived)
        o["updated_at"] = .string(updatedAt.description)
        return .object(o)
    }
}

enum Money {
    /// Two decimal places, as DrChrono writes money in strings.
    static func format(_ value: Double) -> String {
        let scaled = (value * 100).rounded()
        let cents = scaled.isFinite && abs(scaled) < 1e15 ? Int(scaled) : 0
        let sign = cents < 0 ? "-" : ""
        let absolute = abs(cents)
        let fraction = absolute % 100
        return "\(sign)\(absolute / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}
