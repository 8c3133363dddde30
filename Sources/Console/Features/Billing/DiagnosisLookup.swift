import CodeSets

/// The charge form's diagnosis field, looked up in the ICD-10-CM list as it is typed:
/// words after the last comma ("essential hypert") list the codes they describe, to pick
/// with ↑↓ and Enter; codes already typed are described, or named as unknown.
public struct DiagnosisLookup: Sendable, Equatable {
    /// The field's text the lookup answered.
    public var text = ""
    /// The codes the words describe, best first.
    public var matches: [DiagnosisCode] = []
    public var selection = 0
    /// The codes typed, each with its description where the list has it.
    public var typed: [TypedCode] = []
    /// The list searched ("ICD-10-CM 2026 …"), or why there is none.
    public var edition = ""

    public init() {}

    /// A code typed in the field, and what the list says it is (nil: not a billable code).
    public struct TypedCode: Sendable, Equatable {
        public var code: String
        public var known: DiagnosisCode?
        public init(code: String, known: DiagnosisCode?) { (self.code, self.known) = (code, known) }
    }

    public init(text: String, matches: [DiagnosisCode], typed: [TypedCode], edition: String) {
        (self.text, self.matches, self.typed, self.edition) = (text, matches, typed, edition)
    }

    public var isListing: Bool { !matches.isEmpty }
    public var selected: DiagnosisCode? { matches.indices.contains(selection) ? matches[selection] : nil }

    /// The words being typed after the last comma, when they are words rather than a code
    /// (a code starts with a letter and has a digit among its first three characters).
    public static func words(in field: String) -> String? {
        let last = field.split(separator: ",", omittingEmptySubsequences: false).last.map(String.init) ?? ""
        let words = last.trimmingCharacters(in: .whitespaces)
        guard words.count >= 3, !isCode(words) else { return nil }
        return words
    }

    /// The codes typed before the words (or all of them, when no words are being typed).
    public static func codes(in field: String) -> [String] {
        var parts = field.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if words(in: field) != nil { parts.removeLast() }
        return parts.filter(isCode).map { $0.uppercased() }
    }

    static func isCode(_ text: String) -> Bool {
        let characters = Array(text)
        guard let first = characters.first, first.isLetter, !text.contains(" ") else { return false }
        return characters.prefix(3).dropFirst().contains(where: \.isNumber)
    }

    /// The field with the words replaced by the picked code, ready for the next.
    public static func picking(_ code: DiagnosisCode, in field: String) -> String {
        var parts = field.split(separator: ",", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        if !parts.isEmpty { parts.removeLast() }
        parts = parts.filter { !$0.isEmpty }
        parts.append(code.code)
        return parts.joined(separator: ", ")
    }
}
