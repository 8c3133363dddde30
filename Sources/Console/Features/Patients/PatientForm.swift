import DrChronoAPI
import Foundation
import Mirror
import Practice

/// The patient form: registering a new patient, or changing one's demographics and
/// insurance. One line per field; Tab/↓ and ⇧Tab/↑ move, ←/→ choose where there is a
/// choice, → takes the payer the mirror suggests, Enter checks and queues.
public struct PatientForm: Sendable, Equatable {
    public enum Purpose: Sendable, Equatable {
        case register
        /// A change to this patient (DrChrono's id, or a local one still queued).
        case change(patient: Int, name: String)
    }

    public enum Field: Int, CaseIterable, Sendable {
        case firstName, lastName, born, sex, cellPhone, homePhone, email, address, city, state, zip, language, doctor
        case payer, plan, memberId, group, copay, subscriber, subscriberName, subscriberBorn
        case secondPayer, secondMemberId, secondGroup

        public var label: String {
            switch self {
            case .firstName: "First name"
            case .lastName: "Last name"
            case .born: "Born"
            case .sex: "Sex"
            case .cellPhone: "Cell phone"
            case .homePhone: "Home phone"
            case .email: "Email"
            case .address: "Address"
            case .city: "City"
            case .state: "State"
            case .zip: "ZIP"
            case .language: "Language"
            case .doctor: "Doctor"
            case .payer: "Insurance"
            case .plan: "Plan"
            case .memberId: "Member ID"
            case .group: "Group"
            case .copay: "Copay"
            case .subscriber: "Subscriber"
            case .subscriberName: "Subscr. name"
            case .subscriberBorn: "Subscr. born"
            case .secondPayer: "2nd insurance"
            case .secondMemberId: "2nd member ID"
            case .secondGroup: "2nd group"
            }
        }

        /// What to type, shown beside an empty field.
        public var hint: String {
            switch self {
            case .born, .subscriberBorn: "5/17/1985"
            case .cellPhone, .homePhone: "(555) 010-2000"
            case .state: "IL"
            case .copay: "dollars, from the card"
            case .payer, .secondPayer: "type, → takes the suggestion"
            case .subscriberName: "first and last, if not self"
            case .sex, .language, .doctor, .subscriber: "←/→"
            default: ""
            }
        }

        var isChoice: Bool { [.sex, .language, .doctor, .subscriber].contains(self) }
        /// Chosen with ←/→ rather than typed.
        public var isChoiceField: Bool { isChoice }
        var limit: Int {
            switch self {
            case .state: 2
            case .zip, .copay: 10
            case .born, .subscriberBorn: 10
            default: 60
            }
        }
    }

    /// DrChrono's `gender` values, as the desk says them.
    public static let sexes: [(value: String, label: String)] = [
        ("Female", "Female"), ("Male", "Male"), ("Other", "Other"), ("UNK", "Unknown"),
    ]
    /// ISO 639-2 codes DrChrono takes for `preferred_language`.
    public static let languages: [(value: String, label: String)] = [
        ("blank", "Not asked"), ("eng", "English"), ("spa", "Spanish"), ("zho", "Chinese"), ("fra", "French"), ("ita", "Italian"),
        ("jpn", "Japanese"), ("por", "Portuguese"), ("rus", "Russian"), ("other", "Other"), ("declined", "Declined"),
    ]
    /// Who holds the policy, with the HCFA-1500 relationship code DrChrono takes.
    public static let subscribers: [(label: String, code: String)] = [("Self", ""), ("Spouse", "01"), ("Child", "19"), ("Other", "G8")]

    public var purpose: Purpose
    public var texts: [Field: TextField] = [:]
    /// Index into ``sexes``; nil until chosen (DrChrono requires one).
    public var sex: Int?
    public var language = 0
    public var subscriber = 0
    public var doctors: [Doctor]
    public var doctorIndex = 0
    /// The practice's payers (from its patients' cards), for suggestions.
    public var payers: [MirrorQueries.Payer] = []
    public var focus = Field.firstName
    public var problems: [WriteProblem] = []
    /// Set once the person has seen the warnings and pressed Enter again.
    public var warningsSeen = false
    /// The chart this registration would duplicate, when the check found one: Ctrl-O opens it.
    public var duplicateOf: Int?
    /// The record as it was opened (a change sends only what differs from it).
    var original: JSONObject = [:]
    /// The cards as DrChrono has them, so a payer kept as it was keeps its payer id.
    var recordCards: JSONObject = [:]

    public init(register doctors: [Doctor], doctor: Int?) {
        purpose = .register
        self.doctors = doctors
        doctorIndex = doctors.firstIndex { $0.id == doctor } ?? 0
        for field in Field.allCases where !field.isChoice { texts[field] = TextField(limit: field.limit) }
        language = 1
    }

    /// The form for changing `record` (a patient's row as DrChrono sent it).
    public init(change record: JSONObject, doctors: [Doctor]) {
        let id = record.int("id") ?? 0
        let name = "\(record.string("first_name") ?? "") \(record.string("last_name") ?? "")"
        purpose = .change(patient: id, name: name)
        self.doctors = doctors
        recordCards["primary_insurance"] = record["primary_insurance"]
        recordCards["secondary_insurance"] = record["secondary_insurance"]
        for field in Field.allCases where !field.isChoice { texts[field] = TextField(limit: field.limit) }
        func set(_ field: Field, _ text: String?) { texts[field]?.text = text ?? "" }
        set(.firstName, record.string("first_name"))
        set(.lastName, record.string("last_name"))
        set(.born, record.dateTime("date_of_birth").map(\.usDate))
        set(.cellPhone, record.string("cell_phone"))
        set(.homePhone, record.string("home_phone"))
        set(.email, record.string("email"))
        set(.address, record.string("address"))
        set(.city, record.string("city"))
        set(.state, record.string("state"))
        set(.zip, record.string("zip_code"))
        sex = Self.sexes.firstIndex { $0.value == record.string("gender") }
        language = Self.languages.firstIndex { $0.value == record.string("preferred_language") } ?? 0
        doctorIndex = doctors.firstIndex { $0.id == record.int("doctor") } ?? 0
        let primary = record["primary_insurance"]?.objectValue ?? [:]
        set(.payer, primary.string("insurance_company"))
        set(.plan, primary.string("insurance_plan_name"))
        set(.memberId, primary.string("insurance_id_number"))
        set(.group, primary.string("insurance_group_number"))
        set(.copay, record.string("copay"))
        subscriber = Self.subscribers.firstIndex { $0.code == (primary.string("patient_relationship_to_subscriber") ?? "") } ?? 0
        let subscriberName = [primary.string("subscriber_first_name"), primary.string("subscriber_last_name")].compactMap { $0 }
            .filter { !$0.isEmpty }.joined(separator: " ")
        set(.subscriberName, subscriberName)
        set(.subscriberBorn, primary.dateTime("subscriber_date_of_birth").map(\.usDate))
        let secondary = record["secondary_insurance"]?.objectValue ?? [:]
        set(.secondPayer, secondary.string("insurance_company"))
        set(.secondMemberId, secondary.string("insurance_id_number"))
        set(.secondGroup, secondary.string("insurance_group_number"))
        // What DrChrono would be sent for each field as opened: a change sends the rest.
        original = fields(includingEmptyCards: true)
    }

    public var title: String {
        switch purpose {
        case .register: "New patient"
        case .change(_, let name): "Change \(name)"
        }
    }

    public func text(_ field: Field) -> String { texts[field]?.text.trimmingCharacters(in: .whitespaces) ?? "" }

    /// What a field shows.
    public func shown(_ field: Field) -> String {
        switch field {
        case .sex: "< " + (sex.map { Self.sexes[$0].label } ?? "choose") + " >"
        case .language: "< " + Self.languages[language].label + " >"
        case .subscriber: "< " + Self.subscribers[subscriber].label + " >"
        case .doctor: "< " + (doctors.indices.contains(doctorIndex) ? doctors[doctorIndex].displayName : "no doctor") + " >"
        default: texts[field]?.text ?? ""
        }
    }

    /// The practice's payer the typed name points at, to take with →.
    public func suggestion(_ field: Field) -> MirrorQueries.Payer? {
        guard field == .payer || field == .secondPayer else { return nil }
        let typed = SearchKey.fold(text(field))
        guard typed.count >= 2 else { return nil }
        let matches =
            payers.filter { SearchKey.fold($0.name).hasPrefix(typed) }
            + payers.filter {
                !SearchKey.fold($0.name).hasPrefix(typed) && SearchKey.fold($0.name).contains(typed)
            }
        guard let best = matches.first, best.name != text(field) else { return nil }
        return best
    }

    /// Handles a key; answers true when the person submitted the form.
    public mutating func handle(_ key: Key) -> Bool {
        let fields = Field.allCases
        switch key {
        case .enter: return true
        case .tab, .down: focus = fields[(focus.rawValue + 1) % fields.count]
        case .backTab, .up: focus = fields[(focus.rawValue + fields.count - 1) % fields.count]
        case .left, .right:
            let step = key == .left ? -1 : 1
            switch focus {
            case .sex: sex = ((sex ?? (step > 0 ? -1 : 0)) + step + Self.sexes.count) % Self.sexes.count
            case .language: language = (language + step + Self.languages.count) % Self.languages.count
            case .subscriber: subscriber = (subscriber + step + Self.subscribers.count) % Self.subscribers.count
            case .doctor where !doctors.isEmpty: doctorIndex = (doctorIndex + step + doctors.count) % doctors.count
            case .payer, .secondPayer:
                if key == .right, let payer = suggestion(focus) { texts[focus]?.text = payer.name }
            default: break
            }
        default:
            guard !focus.isChoice else { return false }
            texts[focus]?.handle(key)
        }
        warningsSeen = false
        duplicateOf = nil
        return false
    }

    // MARK: What is sent

    /// The registration or change as DrChrono takes it.
    public var draft: PatientDraft {
        let fields =
            purpose == .register
            ? fields(includingEmptyCards: false) : Self.changes(from: original, to: fields(includingEmptyCards: true))
        return PatientDraft(
            purpose: purpose, fields: fields, firstName: text(.firstName), lastName: text(.lastName),
            dateOfBirth: Self.parseDate(text(.born)) ?? "")
    }

    /// Every field as DrChrono names it; the cards only when a payer is given (or, for
    /// a change, always — so clearing a card is a change too).
    func fields(includingEmptyCards: Bool) -> JSONObject {
        var o: JSONObject = [
            "first_name": .string(text(.firstName)), "last_name": .string(text(.lastName)),
            "cell_phone": .string(text(.cellPhone)), "home_phone": .string(text(.homePhone)), "email": .string(text(.email)),
            "address": .string(text(.address)), "city": .string(text(.city)), "state": .string(text(.state).uppercased()),
            "zip_code": .string(text(.zip)), "preferred_language": .string(Self.languages[language].value),
        ]
        if let born = Self.parseDate(text(.born)) { o["date_of_birth"] = .string(born) }
        if let cents = ChargeForm.cents(text(.copay)) {
            o["copay"] = .string(String(cents / 100) + "." + (cents % 100 < 10 ? "0" : "") + String(cents % 100))
        } else if text(.copay).isEmpty, original["copay"] != nil {
            o["copay"] = .string("")
        }
        if let sex { o["gender"] = .string(Self.sexes[sex].value) }
        if doctors.indices.contains(doctorIndex) { o["doctor"] = .int(doctors[doctorIndex].id) }
        if includingEmptyCards || !text(.payer).isEmpty {
            let relationship = Self.subscribers[subscriber]
            let own = relationship.code.isEmpty
            let names = text(.subscriberName).split(separator: " ", maxSplits: 1).map(String.init)
            var card: JSONObject = [
                "insurance_company": .string(text(.payer)), "insurance_payer_id": .string(payerId(text(.payer), card: "primary_insurance")),
                "insurance_plan_name": .string(text(.plan)), "insurance_id_number": .string(text(.memberId)),
                "insurance_group_number": .string(text(.group)), "is_subscriber_the_patient": .bool(own),
                "patient_relationship_to_subscriber": .string(relationship.code),
                "subscriber_first_name": .string(own ? "" : names.first ?? ""),
                "subscriber_last_name": .string(own ? "" : names.dropFirst().first ?? ""),
            ]
            if !own, let born = Self.parseDate(text(.subscriberBorn)) { card["subscriber_date_of_birth"] = .string(born) }
            o["primary_insurance"] = .object(card)
        }
        if includingEmptyCards || !text(.secondPayer).isEmpty {
            o["secondary_insurance"] = .object([
                "insurance_company": .string(text(.secondPayer)),
                "insurance_payer_id": .string(payerId(text(.secondPayer), card: "secondary_insurance")),
                "insurance_id_number": .string(text(.secondMemberId)), "insurance_group_number": .string(text(.secondGroup)),
            ])
        }
        return o
    }

    /// The practice's payer id for a payer named as on its list (or as the card already
    /// had it); blank for one the practice has not billed before.
    func payerId(_ name: String, card: String? = nil) -> String {
        if let card, let held = recordCards[card]?.objectValue, held.string("insurance_company") == name,
            let id = held.string("insurance_payer_id"), !id.isEmpty
        {
            return id
        }
        return payers.first { SearchKey.fold($0.name) == SearchKey.fold(name) }?.payerId ?? ""
    }

    /// The fields of `new` that differ from `old`; of a card, only its changed fields.
    static func changes(from old: JSONObject, to new: JSONObject) -> JSONObject {
        var changed = JSONObject()
        for (key, value) in new.pairs {
            if case .object(let card) = value {
                let before = old[key]?.objectValue ?? [:]
                var fields = JSONObject()
                for (field, new) in card.pairs where before[field] != new { fields[field] = new }
                if !fields.isEmpty { changed[key] = .object(fields) }
            } else if old[key] != value {
                changed[key] = value
            }
        }
        return changed
    }

    // MARK: Checks

    /// What is wrong with what was typed, before the mirror is asked about duplicates.
    public func problems(today: LocalDateTime) -> [WriteProblem] {
        var problems: [WriteProblem] = []
        if text(.firstName).isEmpty { problems.append(.error("first_name", "Enter the first name.")) }
        if text(.lastName).isEmpty { problems.append(.error("last_name", "Enter the last name.")) }
        func date(_ field: Field, _ what: String, required: Bool) {
            let typed = text(field)
            if typed.isEmpty {
                if required { problems.append(.error(what, "Enter the \(what), as 5/17/1985.")) }
            } else if let born = Self.parseDate(typed).flatMap(LocalDateTime.init) {
                if born > today { problems.append(.error(what, "The \(what) \(typed) is in the future.")) }
                if born.year < 1900 { problems.append(.error(what, "The \(what) \(typed) is before 1900: check the year.")) }
            } else {
                problems.append(.error(what, "\(typed) is not a date: type the \(what) as 5/17/1985."))
            }
        }
        let registering = purpose == .register
        date(.born, "date of birth", required: registering || original["date_of_birth"]?.stringValue?.isEmpty == false)
        if sex == nil { problems.append(.error("gender", "Choose the sex with ←/→ (DrChrono requires it).")) }
        for field in [Field.cellPhone, .homePhone] where !text(field).isEmpty {
            let digits = SearchKey.digits(text(field))
            if !(digits.count == 10 || (digits.count == 11 && digits.hasPrefix("1"))) {
                problems.append(.error(field.label, "\(field.label): enter 10 digits, as (555) 010-2000."))
            }
        }
        let email = text(.email)
        if !email.isEmpty, email.split(separator: "@").count != 2 || !(email.split(separator: "@").last ?? "").contains(".") {
            problems.append(.error("email", "\(email) is not an email address."))
        }
        let state = text(.state)
        if !state.isEmpty, state.count != 2 || !state.allSatisfy(\.isLetter) {
            problems.append(.error("state", "State: two letters, as IL."))
        }
        if !text(.copay).isEmpty, (ChargeForm.cents(text(.copay)) ?? -1) < 0 {
            problems.append(.error("copay", "Copay: dollars, as 25 or 25.00."))
        }
        let zip = SearchKey.digits(text(.zip))
        if !text(.zip).isEmpty, zip.count != 5 && zip.count != 9 { problems.append(.error("zip", "ZIP: 5 or 9 digits.")) }
        for (payer, member) in [(Field.payer, Field.memberId), (.secondPayer, .secondMemberId)] {
            if !text(payer).isEmpty, text(member).isEmpty {
                problems.append(.error(member.label, "Enter the member ID from the \(payer == .payer ? "" : "second ")card."))
            }
            if text(payer).isEmpty, !text(member).isEmpty {
                problems.append(.error(payer.label, "Which insurance is member ID \(text(member))? Type the payer."))
            }
            let card = payer == .payer ? "primary_insurance" : "secondary_insurance"
            if !text(payer).isEmpty, payerId(text(payer), card: card).isEmpty {
                problems.append(
                    .warning(payer.label, "\(text(payer)) is not among the practice's payers: check the spelling (Enter again keeps it)."))
            }
        }
        if !text(.payer).isEmpty, subscriber != 0 {
            if text(.subscriberName).split(separator: " ").count < 2 {
                problems.append(.error("subscriber", "Enter the subscriber's first and last name (the card is in their name)."))
            }
            date(.subscriberBorn, "subscriber's date of birth", required: true)
        }
        return problems
    }

    // MARK: Dates

    /// "5/17/1985", "05/17/1985" or "1985-05-17" → "1985-05-17"; nil for anything else.
    public static func parseDate(_ text: String) -> String? {
        let text = text.trimmingCharacters(in: .whitespaces)
        let parts = text.split(separator: "/").map(String.init)
        var (year, month, day) = (0, 0, 0)
        if parts.count == 3, let m = Int(parts[0]), let d = Int(parts[1]), let y = Int(parts[2]), parts[2].count == 4 {
            (year, month, day) = (y, m, d)
        } else if text.count == 10, let date = LocalDateTime(text) {
            (year, month, day) = (date.year, date.month, date.day)
        } else {
            return nil
        }
        guard (1...12).contains(month), (1...31).contains(day) else { return nil }
        let date = LocalDateTime(year: year, month: month, day: day)
        // 2/30 rolls over into March: not a date a person meant.
        guard date.month == month, date.day == day else { return nil }
        return date.dateString
    }

}
