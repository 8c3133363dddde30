/// One billable ICD-10-CM code: what goes on a line item's diagnosis pointers, and the
/// words CMS gives it.
public struct DiagnosisCode: Sendable, Hashable, CustomStringConvertible {
    /// As claims write it, with its dot: `I10`, `E11.9`, `S52.501A`.
    public let code: String
    public let description: String

    public init(code: String, description: String) { (self.code, self.description) = (code, description) }

    /// The code as a person may type it: upper case, no dot (`e119` finds `E11.9`).
    static func key(_ typed: some StringProtocol) -> String {
        String(typed.uppercased().filter { $0 != "." && $0 != " " })
    }
}
