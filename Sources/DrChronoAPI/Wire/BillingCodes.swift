/// The code formats DrChrono's billing accepts: checked by the sandbox as DrChrono's
/// line-item endpoint does, and by chronoterm before a charge is queued.
public enum BillingCodes {
    /// Why `code` is not a valid code of `procedureType`, or nil when it is.
    public static func problem(code: String, procedureType: String) -> String? {
        let chars = Array(code)
        switch procedureType {
        case "C":  // CPT: four digits then a digit, or F/T/U for category II/III codes.
            let ok = chars.count == 5 && chars.prefix(4).allSatisfy(\.isASCIIDigit) && (chars[4].isASCIIDigit || "FTU".contains(chars[4]))
            return ok ? nil : "\"\(code)\" is not a CPT code: five characters, as 99213 or 3008F."
        case "H":  // HCPCS Level II: a letter A–V then four digits.
            let ok = chars.count == 5 && ("A"..."V").contains(chars[0]) && chars.dropFirst().allSatisfy(\.isASCIIDigit)
            return ok ? nil : "\"\(code)\" is not a HCPCS code: a letter then four digits, as G0439."
        case "U":
            let ok =
                (1...20).contains(chars.count) && chars.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") }
            return ok ? nil : "\"\(code)\" is not a custom code: up to 20 letters, digits, dots or dashes."
        default:
            return code.isEmpty ? "This field may not be blank." : nil
        }
    }

    /// An ICD-10-CM code (A00–Z99, optional dot and up to four more characters), or a
    /// pointer 1–12 into the claim's diagnoses.
    public static func isDiagnosisPointer(_ text: String) -> Bool {
        if let number = Int(text) { return (1...12).contains(number) }
        let chars = Array(text.uppercased())
        guard chars.count >= 3, chars[0].isASCII, chars[0].isLetter, chars[0] != "U", chars[1].isASCIIDigit,
            chars[2].isASCII, chars[2].isLetter || chars[2].isNumber
        else { return false }
        if chars.count == 3 { return true }
        guard chars[3] == ".", (5...8).contains(chars.count) else { return false }
        return chars[4...].allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
    }

    public static func isModifier(_ text: String) -> Bool {
        text.count == 2 && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
    }

}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
