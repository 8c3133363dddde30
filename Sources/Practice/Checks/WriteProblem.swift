/// Something wrong with a write, found before it is queued, in words for the person
/// at the desk.
public struct WriteProblem: Sendable, Equatable, CustomStringConvertible {
    public enum Severity: Sendable, Equatable {
        /// The write cannot be queued as it is.
        case error
        /// It can, if the person says so (book over another appointment, in the past…).
        case warning
    }

    public var severity: Severity
    /// The form field to point at.
    public var field: String
    public var message: String

    public static func error(_ field: String, _ message: String) -> WriteProblem {
        WriteProblem(severity: .error, field: field, message: message)
    }
    public static func warning(_ field: String, _ message: String) -> WriteProblem {
        WriteProblem(severity: .warning, field: field, message: message)
    }

    public var description: String { message }
}
