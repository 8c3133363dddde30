import DrChronoAPI
import Practice

/// Each tool's arguments as a JSON Schema, which MCP clients show and check.
extension AgentTool {
    /// One argument: its name, JSON type and what to put in it.
    typealias Argument = (name: String, type: String, about: String)

    var inputSchema: JSONValue {
        let (required, arguments) = parameters
        var properties = JSONObject()
        for argument in arguments {
            var property: JSONObject = ["type": .string(argument.type), "description": .string(argument.about)]
            if argument.type == "array" { property["items"] = .object(["type": "string"]) }
            if argument.name == "status", self == .setStatus {
                property["enum"] = .array(VisitStatus.allCases.map { .string($0.label) })
            }
            if argument.name == "status", self == .claimStatus {
                property["enum"] = .array(BillingStatus.allCases.map { .string($0.rawValue) })
            }
            properties[argument.name] = .object(property)
        }
        return .object([
            "type": "object", "properties": .object(properties), "required": .array(required.map { .string($0) }),
            "additionalProperties": false,
        ])
    }

    private static let day: Argument = ("day", "string", "YYYY-MM-DD, or T (today), T+1, T-1W")
    private static let appointment: Argument = ("appointment", "string", "The visit's id (from schedule or patient_summary)")
    private static let patient: Argument = ("patient", "integer", "The patient's id (from search_patients)")
    private static let cursor: Argument = ("cursor", "integer", "Where the previous page ended (its next_cursor)")

    private var parameters: (required: [String], arguments: [Argument]) {
        switch self {
        case .schedule:
            return (
                [],
                [
                    Self.day, ("doctor", "string", "A doctor's id or last name (all when absent)"),
                    ("office", "integer", "An office's id (all when absent)"), Self.cursor,
                ]
            )
        case .freeSlots:
            return (
                [],
                [
                    ("doctor", "string", "A doctor's id or last name (any when absent)"),
                    ("visit_type", "string", "A visit type's id or name: sets the minutes"),
                    ("minutes", "integer", "The visit's length (30 when neither this nor visit_type)"),
                    ("from", "string", "The first day to look at: YYYY-MM-DD or T+1 (today when absent)"),
                    ("office", "integer", "An office's id"), ("limit", "integer", "How many slots, at most 20 (10)"),
                ]
            )
        case .searchPatients: return (["query"], [("query", "string", "A name (either order), chart id, birth date or phone")])
        case .patientSummary: return (["patient"], [Self.patient])
        case .visit: return (["appointment"], [Self.appointment])
        case .clinicalNote: return (["patient"], [Self.patient, ("note", "integer", "The note's id (the latest when absent)")])
        case .confirmationList: return ([], [("day", "string", "YYYY-MM-DD or T+1 (tomorrow when absent)"), Self.cursor])
        case .dayTotals: return ([], [Self.day])
        case .copyState, .writeQueue: return ([], [])
        case .book:
            return (
                ["patient", "doctor", "start"],
                [
                    Self.patient, ("doctor", "string", "The doctor's id or last name"),
                    ("start", "string", "YYYY-MM-DDTHH:MM in the practice's time zone"),
                    ("visit_type", "string", "A visit type's id or name: its minutes, reason and colour"),
                    ("minutes", "integer", "The length (the visit type's, else 30)"),
                    ("office", "integer", "The office (the doctor's first when absent)"), ("exam_room", "integer", "The room (1)"),
                    ("reason", "string", "The reason for the visit"),
                ]
            )
        case .move:
            return (
                ["appointment"],
                [
                    Self.appointment, ("start", "string", "The new time: YYYY-MM-DDTHH:MM"), ("exam_room", "integer", "The new room"),
                    ("doctor", "string", "The new doctor's id or last name"),
                ]
            )
        case .setStatus: return (["appointment", "status"], [Self.appointment, ("status", "string", "The visit's new status")])
        case .cancel: return (["appointment"], [Self.appointment])
        case .registerPatient:
            return (
                ["first_name", "last_name", "date_of_birth"],
                [
                    ("first_name", "string", "Given name"), ("last_name", "string", "Family name"),
                    ("date_of_birth", "string", "YYYY-MM-DD"), ("gender", "string", "Male, Female, Other or UNK"),
                    ("cell_phone", "string", "Cell phone"), ("email", "string", "Email"),
                    ("doctor", "string", "Their doctor's id or last name (the first doctor when absent)"),
                ]
            )
        case .editPatient:
            return (
                ["patient"],
                [
                    Self.patient, ("cell_phone", "string", "Cell phone"), ("home_phone", "string", "Home phone"),
                    ("email", "string", "Email"), ("address", "string", "Street address"), ("city", "string", "City"),
                    ("state", "string", "State, two letters"), ("zip_code", "string", "ZIP code"),
                ]
            )
        case .takePayment:
            return (
                ["patient", "amount", "method"],
                [
                    Self.patient, ("amount", "string", "Dollars and cents, as 25.00"),
                    ("method", "string", "cash, check, credit card, debit card or other"),
                    ("appointment", "string", "The visit it is for (the account when absent)"),
                    ("kind", "string", "copay, coinsurance, other or on account (copay with a visit)"),
                ]
            )
        case .addCharge:
            return (
                ["appointment", "code", "diagnoses"],
                [
                    Self.appointment, ("code", "string", "CPT or HCPCS code"), ("diagnoses", "array", "ICD-10 codes, as I10"),
                    ("price", "string", "Dollars (the fee schedule's when absent)"), ("quantity", "number", "Units (1)"),
                    ("modifiers", "array", "Modifiers, as 25"),
                ]
            )
        case .correctCharge:
            return (
                ["line_item"],
                [
                    ("line_item", "integer", "The charge's id (from visit)"), ("code", "string", "The right code"),
                    ("price", "string", "The right price in dollars"), ("quantity", "number", "The right units"),
                    ("diagnoses", "array", "The right ICD-10 codes"), ("modifiers", "array", "The right modifiers"),
                ]
            )
        case .voidCharge: return (["line_item"], [("line_item", "integer", "The charge's id (from visit)")])
        case .claimStatus: return (["appointment", "status"], [Self.appointment, ("status", "string", "The billing status")])
        case .claimNote: return (["appointment", "text"], [Self.appointment, ("text", "string", "The note, up to 1,000 characters")])
        case .confirm: return (["token"], [("token", "string", "The token a preview gave")])
        case .cancelWrite: return (["write"], [("write", "integer", "The write's number (from write_queue)")])
        }
    }
}
