import DrChronoAPI
import Foundation

/// A tool's arguments as the agent sent them, read by name with the type each must
/// have: a missing or ill-typed one is a ``ToolFailure`` that says which and how to fix
/// it, never a crash and never a guess.
struct ToolArguments: Sendable {
    let values: JSONObject

    init(_ values: JSONObject) { self.values = values }

    func string(_ name: String) throws -> String {
        guard let value = optionalString(name) else { throw ToolFailure.missing(name) }
        return value
    }

    func optionalString(_ name: String) -> String? {
        guard let value = values[name], !value.isNull else { return nil }
        if let text = value.stringValue?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty { return text }
        if let number = value.intValue { return String(number) }
        return nil
    }

    func int(_ name: String) throws -> Int {
        guard let value = try optionalInt(name) else { throw ToolFailure.missing(name) }
        return value
    }

    func optionalInt(_ name: String) throws -> Int? {
        guard let value = values[name], !value.isNull else { return nil }
        if let number = value.intValue { return number }
        if let text = value.stringValue, let number = Int(text.trimmingCharacters(in: .whitespaces)) { return number }
        throw ToolFailure.badArgument(name, "a whole number")
    }

    func strings(_ name: String) throws -> [String]? {
        guard let value = values[name], !value.isNull else { return nil }
        if let list = value.arrayValue { return list.compactMap(\.stringValue).filter { !$0.isEmpty } }
        if let text = value.stringValue {
            return text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        throw ToolFailure.badArgument(name, "a list of strings")
    }

    func double(_ name: String) throws -> Double? {
        guard let value = values[name], !value.isNull else { return nil }
        if let number = value.doubleValue { return number }
        if let text = value.stringValue, let number = Double(text) { return number }
        throw ToolFailure.badArgument(name, "a number")
    }

    /// A day: `YYYY-MM-DD`, or `T`, `T+1`, `T-1W` counted from `today`.
    func day(_ name: String, default fallback: LocalDateTime? = nil, today: LocalDateTime) throws -> LocalDateTime {
        guard let text = optionalString(name) else {
            guard let fallback else { throw ToolFailure.missing(name) }
            return fallback
        }
        if let date = LocalDateTime(text) { return date.startOfDay }
        let upper = text.uppercased()
        if upper == "T" || upper == "TODAY" { return today.startOfDay }
        if upper == "TOMORROW" { return today.startOfDay.adding(days: 1) }
        if upper.hasPrefix("T"), let match = upper.dropFirst().wholeMatch(of: /([+-]\d{1,3})([DW]?)/) {
            let count = Int(match.output.1) ?? 0
            return today.startOfDay.adding(days: match.output.2 == "W" ? count * 7 : count)
        }
        throw ToolFailure.badArgument(name, "a date as YYYY-MM-DD, or T, T+1, T-1W")
    }

    /// A time of day on a date: `YYYY-MM-DDTHH:MM`.
    func time(_ name: String) throws -> LocalDateTime? {
        guard let text = optionalString(name) else { return nil }
        guard let time = LocalDateTime(text.count == 16 ? text + ":00" : text) else {
            throw ToolFailure.badArgument(name, "a time as YYYY-MM-DDTHH:MM, in the practice's time zone")
        }
        return time
    }
}

/// Why a tool did nothing, in words for the agent and the person behind it.
enum ToolFailure: Error, CustomStringConvertible, Equatable {
    case missing(String)
    case badArgument(String, String)
    case notFound(String)
    case refused(String)

    var description: String {
        switch self {
        case .missing(let name): "The argument '\(name)' is needed."
        case .badArgument(let name, let what): "The argument '\(name)' must be \(what)."
        case .notFound(let what): "\(what) is not in the practice's local copy."
        case .refused(let why): why
        }
    }
}
