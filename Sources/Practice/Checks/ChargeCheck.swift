import DrChronoAPI
import Foundation
import Mirror

/// Checks a charge before it is queued, with the formats DrChrono's billing accepts.
public enum ChargeCheck {
    /// The kind of code typed, as DrChrono's `procedure_type`: five digits (99213) is
    /// CPT (`C`); a letter and four digits (J3420) is HCPCS (`H`); anything else custom (`U`).
    public static func procedureType(of code: String) -> String {
        let code = code.uppercased()
        if code.count == 5, code.first?.isLetter == true, code.dropFirst().allSatisfy(\.isNumber) { return "H" }
        if code.allSatisfy({ $0.isNumber || $0.isLetter }), code.count == 5 { return "C" }
        return code.isEmpty ? "C" : (code.allSatisfy(\.isNumber) ? "C" : "U")
    }

    /// `billable`: whether a diagnosis code is a billable ICD-10-CM code (nil: not
    /// known here — the form's lookup has not answered yet).
    public static func problems(_ charge: Outbox.Charge, billable: ((String) -> Bool?)? = nil) -> [WriteProblem] {
        var problems: [WriteProblem] = []
        let code = charge.code.trimmingCharacters(in: .whitespaces).uppercased()
        if code.isEmpty {
            problems.append(.error("code", "Enter a procedure code."))
        } else if !["C", "H", "U"].contains(charge.procedureType) {
            problems.append(.error("procedure_type", "Choose CPT, HCPCS or custom."))
        } else if let problem = BillingCodes.problem(code: code, procedureType: charge.procedureType) {
            problems.append(.error("code", problem.replacingOccurrences(of: "\"", with: "")))
        }
        if charge.diagnosisPointers.isEmpty {
            problems.append(.error("diagnosis_pointers", "Add at least one diagnosis (ICD-10), as I10."))
        }
        if charge.diagnosisPointers.count > 4 {
            problems.append(.error("diagnosis_pointers", "A line item points to at most four diagnoses."))
        }
        for pointer in charge.diagnosisPointers where !BillingCodes.isDiagnosisPointer(pointer) {
            problems.append(.error("diagnosis_pointers", "\(pointer) is not an ICD-10 code (as I10 or E11.9)."))
        }
        for pointer in charge.diagnosisPointers where BillingCodes.isDiagnosisPointer(pointer) && billable?(pointer) == false {
            problems.append(
                .error(
                    "diagnosis_pointers", "\(pointer) is not a billable ICD-10-CM code: pick a more specific one (type words to list them)."
                ))
        }
        if charge.modifiers.count > 4 { problems.append(.error("modifiers", "A line item takes at most four modifiers.")) }
        for modifier in charge.modifiers where !BillingCodes.isModifier(modifier) {
            problems.append(.error("modifiers", "\(modifier) is not a modifier: two letters or digits, as 25 or LT."))
        }
        if charge.priceCents < 0 { problems.append(.error("price", "A price cannot be negative.")) }
        if charge.priceCents == 0 {
            problems.append(.warning("price", "The price is $0.00: press Enter again to charge nothing, or type a price."))
        }
        if charge.priceCents > Money.largest.cents {
            problems.append(.error("price", "A price is at most \(Money.largest.formatted)."))
        }
        if !(charge.quantity > 0) { problems.append(.error("quantity", "The quantity must be more than zero.")) }
        if !(charge.quantity <= 9_999) { problems.append(.error("quantity", "The quantity is at most 9,999.")) }
        return problems
    }
}

extension ChargeCheck {
    /// A visit is billed at one level: an office visit code (992xx) added beside another
    /// of the same family already on the visit (99214 beside 99213) is said — "99213 is
    /// already charged; the profile adds 99214" — for the biller to confirm. The same code
    /// again counts too. `by`: what adds it, in the sentence.
    public static func visitLevelClashes(existing: [String], adding: [String], by adder: String = "the profile") -> [String] {
        adding.compactMap { code in
            existing.first { $0 == code || ($0.hasPrefix("992") && code.hasPrefix("992") && $0.prefix(4) == code.prefix(4)) }
                .map { "\($0) is already charged; \(adder) adds \(code)" }
        }
    }
}
