/// Every table chronoterm hands out, in the order a warehouse is loaded: the practice's
/// set-up, its patients, their visits, charts and bills. The change stream, the snapshots,
/// the warehouse's schema and docs/export.md are all read from this one list.
public enum ExportCatalog {
    public static let tables: [ExportTable] = practice + patients + charts + billing

    /// The table named `name`, or nil.
    public static func table(_ name: String) -> ExportTable? { tables.first { $0.name == name } }

    /// The table whose events start with `entity` (`appointment`), or nil.
    public static func table(entity: String) -> ExportTable? { tables.first { $0.entity == entity } }

    static let practice: [ExportTable] = [
        ExportTable(
            "doctors", entity: "doctor", privacy: .practice, about: "The practice's doctors.",
            [
                .init("id", .integer, "DrChrono's id of the doctor"), .init("first_name", .text, "First name"),
                .init("last_name", .text, "Last name"), .init("suffix", .text, "Suffix (MD, DO …)"),
                .init("specialty", .text, "Specialty"), .init("time_zone", .text, "The doctor's time zone, as DrChrono names it"),
            ]),
        ExportTable(
            "offices", entity: "office", privacy: .practice, about: "The practice's offices.",
            [
                .init("id", .integer, "DrChrono's id of the office"), .init("name", .text, "Name"),
                .init("start_time", .text, "Opening time (HH:MM)"), .init("end_time", .text, "Closing time (HH:MM)"),
                .init("archived", .boolean, "No longer in use"),
            ]),
        ExportTable(
            "appointment_profiles", entity: "appointment_profile", privacy: .practice,
            about: "Kinds of visit: a name, a colour, a length.",
            [
                .init("id", .integer, "DrChrono's id"), .init("name", .text, "Name"), .init("color", .text, "Colour on the schedule"),
                .init("reason", .text, "Default reason"), .init("duration", .integer, "Length in minutes"),
                .init("doctor_id", .integer, "The doctor it belongs to, if one"), .init("archived", .boolean, "No longer offered"),
            ]),
        ExportTable(
            "fee_schedules", entity: "fee", privacy: .practice, about: "Prices: per doctor, code and payer.",
            [
                .init("id", .integer, "DrChrono's id"), .init("doctor_id", .integer, "The doctor"),
                .init("code", .text, "The procedure code"), .init("payer_id", .text, "The payer (empty: any)"),
                .init("base_cents", .cents, "Price to the patient, in cents"),
                .init("insured_cents", .cents, "Price to an insurer, in cents"),
            ]),
    ]

    static let patients: [ExportTable] = [
        ExportTable(
            "patients", entity: "patient", privacy: .phi, since: "updated_at", about: "The practice's patients.",
            [
                .init("id", .integer, "DrChrono's id of the patient"),
                .init("chart_id", .text, identifies: true, "The chart number"),
                .init("first_name", .text, identifies: true, "First name"),
                .init("middle_name", .text, identifies: true, "Middle name"),
                .init("last_name", .text, identifies: true, "Last name"),
                .init("nick_name", .text, identifies: true, "Preferred name"),
                .init("date_of_birth", .date, identifies: true, "Date of birth"),
                .init("gender", .text, "Gender as recorded"),
                .init("cell_phone", .text, identifies: true, "Cell phone, digits only"),
                .init("home_phone", .text, identifies: true, "Home phone, digits only"),
                .init("email", .text, identifies: true, "Email"),
                .init("doctor_id", .integer, "The patient's doctor"),
                .init("status", .text, "Active, Inactive …"),
                .init("updated_at", .timestamp, "When DrChrono last changed the record"),
                .init("pending", .boolean, "A change made here is still on its way to DrChrono"),
            ]),
        ExportTable(
            "appointments", entity: "appointment", privacy: .phi, since: "day",
            named: [
                .init(
                    column: "status",
                    values: [
                        ("Arrived", "arrived"), ("Checked In", "checked_in"), ("In Room", "in_room"), ("Complete", "completed"),
                        ("Cancelled", "cancelled"), ("No Show", "no_show"),
                    ], otherwise: nil),
                .init(column: "note_locked", values: [("1", "note_signed")], otherwise: nil),
            ],
            about: "Visits and breaks on the schedule.",
            [
                .init("id", .text, "DrChrono's id of the visit"), .init("doctor_id", .integer, "The doctor"),
                .init("office_id", .integer, "The office"), .init("exam_room", .integer, "The exam room's number in its office"),
                .init("patient_id", .integer, "The patient (none for a break)"), .init("day", .date, "The day"),
                .init("scheduled_time", .timestamp, "Start, local time"), .init("duration", .integer, "Length in minutes"),
                .init("status", .text, "Confirmed, Arrived, Checked In, In Room, Complete, No Show, Cancelled … (empty: booked)"),
                .init("reason", .text, identifies: true, "Reason for the visit, as typed"),
                .init("notes", .text, identifies: true, "Notes on the visit, as typed"),
                .init("profile_id", .integer, "The kind of visit"), .init("is_break", .boolean, "A break, not a visit"),
                .init("deleted", .boolean, "Deleted at DrChrono"), .init("note_locked", .boolean, "The visit's note is signed"),
                .init("updated_at", .timestamp, "When DrChrono last changed it"),
                .init("pending", .boolean, "A change made here is still on its way to DrChrono"),
            ]),
    ]

    static let charts: [ExportTable] = [
        ExportTable(
            "clinical_notes", entity: "clinical_note", privacy: .phi, since: "updated_at",
            named: [.init(column: "locked_by", values: [], otherwise: "signed")],
            about: "Visit notes: who signed them and when they changed (not their text).",
            [
                .init("id", .integer, "DrChrono's id"), .init("appointment_id", .text, "The visit"),
                .init("patient_id", .integer, "The patient"), .init("locked_by", .text, "Who signed it (empty: not signed)"),
                .init("updated_at", .timestamp, "When DrChrono last changed it"),
            ]),
        ExportTable(
            "problems", entity: "problem", privacy: .phi, about: "Problem lists.",
            [
                .init("id", .integer, "DrChrono's id"), .init("patient_id", .integer, "The patient"),
                .init("name", .text, "The problem"), .init("icd_code", .text, "ICD-10 code"),
                .init("status", .text, "active, inactive, resolved"),
            ]),
        ExportTable(
            "medications", entity: "medication", privacy: .phi, about: "Medication lists.",
            [
                .init("id", .integer, "DrChrono's id"), .init("patient_id", .integer, "The patient"),
                .init("name", .text, "The medication"), .init("status", .text, "active, inactive"),
            ]),
        ExportTable(
            "allergies", entity: "allergy", privacy: .phi, about: "Allergy lists.",
            [
                .init("id", .integer, "DrChrono's id"), .init("patient_id", .integer, "The patient"),
                .init("description", .text, "The allergy"), .init("status", .text, "active, inactive"),
            ]),
        ExportTable(
            "documents", entity: "document", privacy: .phi, since: "date",
            about: "Documents in charts (their descriptions, not their files).",
            [
                .init("id", .integer, "DrChrono's id"), .init("patient_id", .integer, "The patient"),
                .init("description", .text, identifies: true, "Description"), .init("date", .date, "The document's date"),
                .init("pending", .boolean, "An upload made here is still on its way to DrChrono"),
            ]),
        ExportTable(
            "lab_orders", entity: "lab_order", privacy: .phi, since: "ordered_at", about: "Lab orders.",
            [
                .init("id", .integer, "DrChrono's id"), .init("patient_id", .integer, "The patient"),
                .init("doctor_id", .integer, "The ordering doctor"), .init("status", .text, "The order's status"),
                .init("ordered_at", .timestamp, "When it was ordered"),
            ]),
        ExportTable(
            "lab_results", entity: "lab_result", privacy: .phi, since: "received_at", about: "Results of lab orders.",
            [
                .init("id", .integer, "DrChrono's id"), .init("order_id", .integer, "The lab order"),
                .init(
                    "test", .text, "The test",
                    sql: "coalesce(json_extract(ROW.raw, '$.test_performed'), json_extract(ROW.raw, '$.observation_description'), '')"),
                .init("code", .text, "The observation's code (LOINC)", sql: "coalesce(json_extract(ROW.raw, '$.observation_code'), '')"),
                .init("value", .text, "The value, as the lab sent it", sql: "coalesce(CAST(json_extract(ROW.raw, '$.value') AS TEXT), '')"),
                .init("unit", .text, "Its unit", sql: "coalesce(json_extract(ROW.raw, '$.unit'), '')"),
                .init("normal_range", .text, "The normal range", sql: "coalesce(json_extract(ROW.raw, '$.normal_range'), '')"),
                .init("abnormal", .text, "Abnormal flag (H, L, A …; empty: normal)"),
                .init("received_at", .timestamp, "When the specimen was received"),
            ]),
        ExportTable(
            "patient_lab_results", entity: "entered_lab_result", privacy: .phi, since: "entered_at",
            about: "Lab results entered in charts by hand.",
            [
                .init("id", .integer, "DrChrono's id"), .init("patient_id", .integer, "The patient"),
                .init(
                    "test", .text, "The test", sql: "coalesce(json_extract(ROW.raw, '$.title'), json_extract(ROW.raw, '$.loinc_code'), '')"),
                .init("code", .text, "LOINC code", sql: "coalesce(json_extract(ROW.raw, '$.loinc_code'), '')"),
                .init("value", .text, "The value", sql: "coalesce(CAST(json_extract(ROW.raw, '$.lab_result_value') AS TEXT), '')"),
                .init("unit", .text, "Its unit", sql: "coalesce(json_extract(ROW.raw, '$.lab_result_value_units'), '')"),
                .init("flag", .text, "Abnormal flag (empty: normal)"), .init("entered_at", .timestamp, "When it was entered"),
                .init("updated_at", .timestamp, "When DrChrono last changed it"),
            ]),
        ExportTable(
            "visit_vitals", entity: "vitals", key: "appointment_id", privacy: .phi, since: "taken_at", about: "Vitals taken at visits.",
            [
                .init("appointment_id", .text, "The visit"), .init("patient_id", .integer, "The patient"),
                .init("taken_at", .timestamp, "When they were taken"),
                .init("vitals", .json, "The vitals as DrChrono sent them (height, weight, blood pressure …)", sql: "json(ROW.raw)"),
            ]),
    ]

    static let billing: [ExportTable] = [
        ExportTable(
            "line_items", entity: "line_item", privacy: .phi, since: "updated_at", about: "Charges: each code billed on a visit.",
            [
                .init("id", .integer, "DrChrono's id (negative: made here, not yet confirmed)"),
                .init("appointment_id", .text, "The visit"),
                .init("patient_id", .integer, "The patient"), .init("code", .text, "The procedure or service code"),
                .init("procedure_type", .text, "CPT, HCPCS, custom …"), .init("price_cents", .cents, "Price per unit, in cents"),
                .init("quantity", .decimal, "Units"), .init("updated_at", .timestamp, "When DrChrono last changed it"),
                .init("pending", .boolean, "A change made here is still on its way to DrChrono"),
            ]),
        ExportTable(
            "line_item_deletions", entity: "line_item_void", privacy: .phi, since: "deleted_at", about: "Charges voided at DrChrono.",
            [
                .init("id", .integer, "The voided line item's id"), .init("appointment_id", .text, "The visit"),
                .init("deleted_at", .timestamp, "When it was voided"),
            ]),
        ExportTable(
            "patient_payments", entity: "payment", privacy: .phi, since: "received_date", about: "Payments patients made.",
            [
                .init("id", .integer, "DrChrono's id (negative: taken here, not yet confirmed)"),
                .init("patient_id", .integer, "The patient"),
                .init("appointment_id", .text, "The visit it pays for, if one"), .init("doctor_id", .integer, "The doctor"),
                .init("amount_cents", .cents, "Amount, in cents"), .init("method", .text, "Cash, check, credit card …"),
                .init("kind", .text, "DrChrono's transaction type"), .init("received_date", .date, "When it was received"),
                .init("posted_date", .date, "When it was posted"), .init("created_by", .text, "DrChrono's user who entered it"),
                .init("person", .text, "The person of the practice who took it here"),
                .init("updated_at", .timestamp, "When DrChrono last changed it"),
                .init("pending", .boolean, "Taken here, still on its way to DrChrono"),
            ]),
        ExportTable(
            "eligibility_checks", entity: "eligibility_check", privacy: .phi, since: "query_date", about: "Insurance eligibility checks.",
            [
                .init("id", .integer, "DrChrono's id"), .init("appointment_id", .text, "The visit"),
                .init("patient_id", .integer, "The patient"), .init("eligibility", .text, "The answer"),
                .init("payer_name", .text, "The payer asked"), .init("query_date", .timestamp, "When it was asked"),
            ]),
        ExportTable(
            "claim_notes", entity: "claim_note", privacy: .phi, since: "created_at", about: "Notes on visits' claims written here.",
            [
                .init("id", .integer, "DrChrono's id (negative: not yet confirmed)"), .init("appointment_id", .text, "The visit"),
                .init("text", .text, identifies: true, "The note"), .init("created_by", .text, "DrChrono's user"),
                .init("created_at", .timestamp, "When it was written"), .init("person", .text, "The person of the practice who wrote it"),
            ]),
    ]
}
