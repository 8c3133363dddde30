/// A clinical note: one appointment's sections and their values.
public struct ClinicalNote: Sendable, Equatable, Identifiable {
    public struct Value: Sendable, Equatable { public var field: Int?; public var value: String }
    public struct Section: Sendable, Equatable { public var name: String; public var template: Int?; public var values: [Value] }

    public var id: Int
    public var appointment: String?
    public var patient: Int?
    public var sections: [Section]
    /// Who signed and locked it; nil while it is open.
    public var lockedBy: String?
    public var archived: Bool
    public var updatedAt: LocalDateTime?
    public var raw: JSONObject

    public var isLocked: Bool { !(lockedBy ?? "").isEmpty }

    public init?(json: JSONObject) {
        // The OpenAPI file names no id for a note; fall back to its appointment's.
        guard let id = json.int("id") ?? json.int("appointment") else { return nil }
        self.id = id
        appointment = json.string("appointment")
        patient = json.int("patient")
        sections = json.array("clinical_note_sections").compactMap(\.objectValue).map { section in
            Section(
                name: section.string("name") ?? "", template: section.int("clinical_note_template"),
                values: section.array("values").compactMap(\.objectValue).map {
                    Value(field: $0.int("clinical_note_field"), value: $0.string("value") ?? "")
                })
        }
        lockedBy = json.object("signee")?.string("locked_by")
        archived = json.bool("archived") ?? false
        updatedAt = json.dateTime("updated_at")
        raw = json
    }
}

public struct ClinicalNoteFieldType: Sendable, Equatable, Identifiable {
    public var id: Int
    public var name: String
    public var template: Int?
    public var dataType: String

    public init?(json: JSONObject) {
        guard let id = json.int("id") else { return nil }
        self.id = id
        name = json.string("name") ?? ""
        template = json.int("clinical_note_template")
        dataType = json.string("data_type") ?? ""
    }
}

public struct Problem: Sendable, Equatable, Identifiable {
    public var id: Int
    public var patient: Int?
    public var name: String, icdCode: String, status: String
    public var dateOnset: String?
    public var raw: JSONObject

    public init?(json: JSONObject) {
        guard let id = json.int("id") else { return nil }
        self.id = id
        patient = json.int("patient")
        name = json.string("name") ?? ""
        icdCode = json.string("icd_code") ?? ""
        status = json.string("status") ?? ""
        dateOnset = json.string("date_onset")
        raw = json
    }
}

public struct Medication: Sendable, Equatable, Identifiable {
    public var id: Int
    public var patient: Int?
    public var name: String, dosage: String, frequency: String, status: String
    public var raw: JSONObject

    public init?(json: JSONObject) {
        guard let id = json.int("id") else { return nil }
        self.id = id
        patient = json.int("patient")
        name = json.string("name") ?? ""
        dosage = [json.string("dosage_quantity"), json.string("dosage_units")].compactMap { $0 }.filter { !$0.isEmpty }.joined(
            separator: " ")
        frequency = json.string("frequency") ?? ""
        status = json.string("status") ?? ""
        raw = json
    }
}

public struct Allergy: Sendable, Equatable, Identifiable {
    public var id: Int
    public var patient: Int?
    public var description: String, reaction: String, status: String
    public var raw: JSONObject

    public init?(json: JSONObject) {
        guard let id = json.int("id") else { return nil }
        self.id = id
        patient = json.int("patient")
        description = json.string("description") ?? ""
        reaction = json.string("reaction") ?? ""
        status = json.string("status") ?? ""
        raw = json
    }
}

public struct Document: Sendable, Equatable, Identifiable {
    public var id: Int
    public var patient: Int?, doctor: Int?
    public var description: String
    public var date: String?
    public var metatags: [String]
    /// Where the file itself can be downloaded.
    public var url: String?
    public var raw: JSONObject

    public init?(json: JSONObject) {
        guard let id = json.int("id") else { return nil }
        self.id = id
        patient = json.int("patient")
        doctor = json.int("doctor")
        description = json.string("description") ?? ""
        date = json.string("date")
        metatags = json.strings("metatags")
        url = json.string("document")
        raw = json
    }
}
