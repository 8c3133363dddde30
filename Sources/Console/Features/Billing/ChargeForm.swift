import DrChronoAPI
import Foundation
import Mirror
import Practice

/// The line-item form: code, its type, modifiers, quantity, price and diagnoses.
public struct ChargeForm: Sendable, Equatable {
    public var appointment: String
    public var patientName: String
    public var code = TextField(limit: 12)
    /// `C` CPT, `H` HCPCS, `U` custom — guessed from the code, changed with ←/→.
    public var procedureType = "C"
    public var typeChosen = false
    public var modifiers = TextField(limit: 20)
    public var quantity = TextField("1", limit: 6)
    public var price = TextField(limit: 10)
    public var diagnoses = TextField(limit: 80)
    /// The diagnosis field looked up in the ICD-10-CM list.
    public var lookup = DiagnosisLookup()
    /// The practice's own words for its codes (its fee schedule's descriptions): CPT's are
    /// the AMA's and never shipped.
    public var codeDescriptions: [String: String] = [:]
    /// 0 code, 1 type, 2 modifiers, 3 quantity, 4 price, 5 diagnoses.
    public var field = Field.code
    public var problems: [WriteProblem] = []

    /// The form's fields, in the order Tab visits them.
    public enum Field: FormField {
        case code, type, modifiers, quantity, price, diagnoses

        public var title: String {
            switch self {
            case .code: "Code"
            case .type: "Type"
            case .modifiers: "Modifiers"
            case .quantity: "Quantity"
            case .price: "Price"
            case .diagnoses: "Diagnoses"
            }
        }
    }
    public static let typeNames = ["C": "CPT", "H": "HCPCS", "U": "Custom"]

    /// The charge being corrected (its id), when the form opened on one.
    public var fixing: Int?
    /// The fee schedule's prices for the visit, by code (cents): a code typed fills the
    /// price until the biller types one.
    public var prices: [String: Int] = [:]
    /// The price shown came from the fee schedule (typing one stops that).
    public var priceFromSchedule = false
    /// The biller typed a price in this form: the code no longer sets it.
    var priceTyped = false
    /// The warnings shown (a price of nothing): a second Enter charges as it is.
    public var warningsSeen = false
    /// The corrected charge as DrChrono has it: only what differs is sent.
    var original: Outbox.Charge?

    public init(appointment: String, patientName: String) { (self.appointment, self.patientName) = (appointment, patientName) }

    /// The form on a charge already made, to correct it.
    public init(fixing item: LineItem, appointment: String, patientName: String) {
        (self.appointment, self.patientName) = (appointment, patientName)
        fixing = item.id
        code.text = item.code
        procedureType = item.procedureType
        typeChosen = true
        modifiers.text = item.modifiers.joined(separator: ", ")
        quantity.text =
            item.quantity.isFinite && abs(item.quantity) < 1e15 && item.quantity == item.quantity.rounded()
            ? String(Int(item.quantity)) : String(item.quantity)
        price.text = Money(cents: item.priceCents).typed
        diagnoses.text = item.diagnosisPointers.joined(separator: ", ")
        original = charge
    }

    /// A correction: the fields that differ from the charge as it was.
    public var changes: ChargeChange {
        guard let charge, let original else { return ChargeChange() }
        return ChargeChange(from: original, to: charge)
    }

    public mutating func handle(_ key: Key) -> Bool {
        if field == .diagnoses, lookup.isListing, lookup.text == diagnoses.text {
            switch key {
            case .down:
                lookup.selection = min(lookup.matches.count - 1, lookup.selection + 1)
                return false
            case .up:
                lookup.selection = max(0, lookup.selection - 1)
                return false
            case .enter:
                if let code = lookup.selected { diagnoses.text = DiagnosisLookup.picking(code, in: diagnoses.text) }
                lookup.matches = []
                return false
            default: break
            }
        }
        switch key {
        case .enter: return true
        case .tab, .down: field = field.moved(by: 1)
        case .backTab, .up: field = field.moved(by: -1)
        case .left where field == .type, .right where field == .type:
            let order = ["C", "H", "U"]
            let index = order.firstIndex(of: procedureType) ?? 0
            procedureType = order[(index + (key == .left ? 2 : 1)) % 3]
            typeChosen = true
        default:
            switch field {
            case .code:
                code.handle(key)
                if !typeChosen { procedureType = Self.guessType(code.text) }
                // The fee schedule's price follows the code until the biller types one — a
                // correction's too (99214 → 99213 is priced as 99213).
                if !priceTyped {
                    if let cents = prices[code.text.trimmingCharacters(in: .whitespaces).uppercased()] {
                        price.text = Money(cents: cents).typed
                        priceFromSchedule = true
                    } else if fixing == nil, priceFromSchedule {
                        // A new charge's scheduled price leaves with its code; a correction keeps its own.
                        price.text = ""
                        priceFromSchedule = false
                    }
                }
                warningsSeen = false
            case .modifiers: modifiers.handle(key)
            case .quantity: quantity.handle(key)
            case .price:
                price.handle(key)
                priceFromSchedule = false
                priceTyped = true
                warningsSeen = false
            case .diagnoses: diagnoses.handle(key)
            case .type: break
            }
        }
        return false
    }

    /// The practice's description of the code typed, from its fee schedule.
    public var codeDescription: String? {
        codeDescriptions[code.text.trimmingCharacters(in: .whitespaces).uppercased()]
    }

    static func guessType(_ code: String) -> String { ChargeCheck.procedureType(of: code) }

    static func list(_ text: String) -> [String] {
        text.split(whereSeparator: { $0 == "," || $0 == " " }).map { $0.uppercased() }
    }

    /// The charge as typed; problems a person can fix in the form come back from `ChargeCheck`.
    public var charge: Outbox.Charge? {
        guard entryProblems.isEmpty, let quantity = Self.quantity(quantity.text),
            let priceCents = Self.cents(price.text)
        else { return nil }
        var charge = Outbox.Charge(
            code: code.text.trimmingCharacters(in: .whitespaces).uppercased(), procedureType: procedureType,
            diagnosisPointers: Self.list(diagnoses.text), priceCents: priceCents)
        charge.modifiers = Self.list(modifiers.text)
        charge.quantity = quantity
        return charge
    }

    /// Problems with what was typed, before the charge's own checks.
    /// Everything wrong with the form at once: what was typed, the charge's own checks,
    /// a diagnosis the ICD-10-CM list says is not billable, a price of nothing.
    public var allProblems: [WriteProblem] {
        var problems = entryProblems
        var draft = Outbox.Charge(
            code: code.text.trimmingCharacters(in: .whitespaces).uppercased(), procedureType: procedureType,
            diagnosisPointers: Self.list(diagnoses.text), priceCents: Self.cents(price.text) ?? 1)
        draft.modifiers = Self.list(modifiers.text)
        draft.quantity = Self.quantity(quantity.text) ?? 1
        // What the lookup said of each code typed, if it answered for this very text.
        let known = lookup.text == diagnoses.text ? Dictionary(lookup.typed.map { ($0.code, $0.known != nil) }) { a, _ in a } : [:]
        problems += ChargeCheck.problems(draft, billable: { known[$0.uppercased()] })
        return problems
    }

    public var entryProblems: [WriteProblem] {
        var problems: [WriteProblem] = []
        if Self.quantity(quantity.text) == nil {
            problems.append(.error("quantity", "Enter a quantity from 0.001 to 9999, as 1 or 2.5."))
        }
        if Self.cents(price.text) == nil {
            problems.append(.error("price", "Enter a price in dollars, as 125 or 125.50, up to \(Money.largest.formatted)."))
        }
        return problems
    }

    /// "$125.50", "125.5", "125", "-0.50" → cents, sign kept; nil for anything else
    /// (see ``Money/init(typed:)``).
    static func cents(_ text: String) -> Int? { Money(typed: text).map { Int($0.cents) } }

    /// A quantity as typed: a plain decimal, more than 0 and at most 9,999, with at most
    /// three decimals — never an exponent, "inf" or "nan".
    static func quantity(_ text: String) -> Double? {
        let text = text.trimmingCharacters(in: .whitespaces)
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard !text.isEmpty, parts.count <= 2, (1...4).contains(parts[0].count),
            parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }), parts.count == 1 || (1...3).contains(parts[1].count),
            let value = Double(text), value > 0, value <= 9_999
        else { return nil }
        return value
    }
}
