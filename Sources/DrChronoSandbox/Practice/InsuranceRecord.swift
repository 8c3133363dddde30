import DrChronoAPI

/// A patient's insurance card as DrChrono keeps it on the patient: `primary_insurance`
/// and `secondary_insurance`, each a flat object of the card's fields.
struct InsuranceRecord: Sendable, Equatable {
    var company = "", payerId = "", planName = "", idNumber = "", groupNumber = "", groupName = ""
    /// True when the policy is in the patient's own name (DrChrono's default).
    var subscriberIsPatient = true
    /// The HCFA-1500 relationship code: `01` spouse, `19` child, `G8` other; blank for self.
    var relationship = ""
    var subscriberFirstName = "", subscriberLastName = "", subscriberDateOfBirth = ""

    static let relationships = [
        "", "01", "04", "05", "07", "10", "15", "17", "19", "20", "21", "22", "23", "24", "29", "32", "33", "36", "39", "40", "41", "43",
        "53", "76", "G8",
    ]

    var isEmpty: Bool { company.isEmpty && payerId.isEmpty && idNumber.isEmpty }

    var json: JSONValue {
        .object([
            "insurance_company": .string(company), "insurance_payer_id": .string(payerId), "insurance_plan_name": .string(planName),
            "insurance_id_number": .string(idNumber), "insurance_group_number": .string(groupNumber),
            "insurance_group_name": .string(groupName), "insurance_plan_type": .string(""),
            "is_subscriber_the_patient": .bool(subscriberIsPatient), "patient_relationship_to_subscriber": .string(relationship),
            "subscriber_first_name": .string(subscriberFirstName), "subscriber_last_name": .string(subscriberLastName),
            "subscriber_date_of_birth": subscriberDateOfBirth.isEmpty ? .null : .string(subscriberDateOfBirth),
            "photo_front": .null, "photo_back": .null,
        ])
    }

    /// Lays `value` (the object a write sent) over `self`, as DRF's nested serializer
    /// would: unknown keys ignored, bad ones named under `field`.
    mutating func apply(_ value: JSONValue, field: String, errors: inout FieldErrors) {
        guard case .object(let object) = value else {
            errors.add(field, "Invalid data. Expected a dictionary, but got \(value.typeName).")
            return
        }
        var reader = FieldReader(object)
        let text: [(String, WritableKeyPath<InsuranceRecord, String>)] = [
            ("insurance_company", \.company), ("insurance_payer_id", \.payerId), ("insurance_plan_name", \.planName),
            ("insurance_id_number", \.idNumber), ("insurance_group_number", \.groupNumber), ("insurance_group_name", \.groupName),
            ("subscriber_first_name", \.subscriberFirstName), ("subscriber_last_name", \.subscriberLastName),
        ]
        for (key, path) in text { if let value = reader.string(key, maxLength: 255) { self[keyPath: path] = value } }
        if let own = reader.bool("is_subscriber_the_patient") { subscriberIsPatient = own }
        if let code = reader.choice("patient_relationship_to_subscriber", Self.relationships) { relationship = code }
        if reader.present("subscriber_date_of_birth") { subscriberDateOfBirth = reader.date("subscriber_date_of_birth") ?? "" }
        for (key, messages) in reader.errors.fields { for message in messages { errors.add(field, "\(key): \(message)") } }
    }
}

/// A patient's two cards. Kept only once a write set them: until then a generated
/// patient's cards are worked out from their id (``SyntheticPayers/primary(for:)``),
/// which keeps the `large` practice's memory as it was.
struct PatientCards: Sendable, Equatable {
    var primary = InsuranceRecord()
    var secondary = InsuranceRecord()
}

/// The payers a synthetic practice's patients are insured by, as `/api/insurances`
/// lists them. Names are generic; payer ids are the sandbox's own (`SBX…`), not a
/// clearinghouse's.
enum SyntheticPayers {
    static let all: [(id: String, name: String, state: String)] = [
        ("SBX01", "Blue Shield Mutual", "CA"), ("SBX02", "Cascade Health Plan", "WA"), ("SBX03", "Prairie Mutual Insurance", "IL"),
        ("SBX04", "Medicare Part B", ""), ("SBX05", "State Medicaid", "IL"), ("SBX06", "Lakeshore Health Alliance", "MI"),
        ("SBX07", "Evergreen Care Plan", "OR"), ("SBX08", "Union Workers Health Fund", "NY"), ("SBX09", "Tricounty HMO", "TX"),
        ("SBX10", "Harbor Point Insurance", "MA"), ("SBX11", "Summit PPO", "CO"), ("SBX12", "Veterans Community Care", ""),
    ]

    /// A patient's primary card, fixed by their id (so a practice's random stream — and
    /// every test that counts its rows — is unchanged): four in five are insured.
    static func primary(for patient: Int) -> InsuranceRecord? {
        let mix = (patient &* 2_654_435_761) & 0x7fff_ffff
        guard mix % 5 != 0 else { return nil }
        let payer = all[mix / 5 % all.count]
        return InsuranceRecord(
            company: payer.name, payerId: payer.id, planName: ["PPO", "HMO", "EPO", "Medicare"][mix / 7 % 4],
            idNumber: "M\(100_000_000 + mix % 900_000_000)", groupNumber: "G-\(1000 + mix % 9000)")
    }
}
