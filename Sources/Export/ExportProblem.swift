/// Why an export could not go on, in words for the person running it: what went wrong and
/// what to do (never a status code, never a value of the practice's).
public struct ExportProblem: Error, CustomStringConvertible {
    public let description: String

    init(_ description: String) { self.description = description }
}
