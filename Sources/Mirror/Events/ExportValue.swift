import DrChronoAPI
import Foundation
import GRDB

/// A column's value as it leaves chronoterm, typed by its column (``ExportColumnType``).
/// Every byte came from DrChrono or a person: a value that does not read as its type
/// (a date that is not one, a price past 64 bits) leaves as null, never as something else.
public enum ExportValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case text(String)
    case boolean(Bool)
    case decimal(Double)
    /// A JSON document, kept as its text.
    case json(String)
}

extension ExportColumnType {
    /// `value`, as the mirror's SQLite holds it, typed as this column.
    func value(_ value: DatabaseValue) -> ExportValue {
        switch value.storage {
        case .null: .null
        case .int64(let number): typed(integer: number)
        case .double(let number): typed(real: number)
        case .string(let text): typed(text: text)
        case .blob: .null
        }
    }

    /// `value`, as a change event's row (SQLite's json_object) holds it, typed as this column.
    public func value(_ value: JSONValue) -> ExportValue {
        switch value {
        case .null: .null
        case .bool(let flag): self == .boolean ? .boolean(flag) : typed(integer: flag ? 1 : 0)
        case .int(let number): typed(integer: Int64(number))
        case .double(let number): typed(real: number)
        case .string(let text): typed(text: text)
        case .array, .object: self == .json ? .json(value.serializedString) : typed(text: value.serializedString)
        }
    }

    private func typed(integer number: Int64) -> ExportValue {
        switch self {
        case .integer, .cents: .integer(number)
        case .boolean: .boolean(number != 0)
        case .decimal: .decimal(Double(number))
        case .text: .text(String(number))
        case .date, .timestamp, .json: .null
        }
    }

    private func typed(real number: Double) -> ExportValue {
        guard number.isFinite else { return .null }
        switch self {
        case .decimal: return .decimal(number)
        case .integer, .cents:
            guard number.rounded() == number, abs(number) < 9.2e18 else { return .null }
            return .integer(Int64(number))
        case .boolean: return .boolean(number != 0)
        case .text: return .text(String(number))
        case .date, .timestamp, .json: return .null
        }
    }

    private func typed(text: String) -> ExportValue {
        switch self {
        case .text: return .text(text)
        case .integer, .cents: return Int64(text).map(ExportValue.integer) ?? .null
        case .boolean: return text == "1" || text == "true" ? .boolean(true) : text == "0" || text == "false" ? .boolean(false) : .null
        case .decimal: return Double(text).flatMap { $0.isFinite ? ExportValue.decimal($0) : nil } ?? .null
        case .date: return Self.date(text).map(ExportValue.text) ?? .null
        case .timestamp: return Self.timestamp(text).map(ExportValue.text) ?? .null
        case .json: return (try? JSONValue.parse(Data(text.utf8))).map { .json($0.serializedString) } ?? .null
        }
    }

    /// `YYYY-MM-DD` from a text that starts with one (a date, or a time on that date).
    static func date(_ text: String) -> String? {
        let head = text.utf8.prefix(10)
        guard head.count == 10, shape(head, "dddd-dd-dd") else { return nil }
        return String(decoding: head, as: UTF8.self)
    }

    /// `YYYY-MM-DDTHH:MM:SS` from `YYYY-MM-DDTHH:MM[:SS[.fff]]` (or a space for the `T`).
    static func timestamp(_ text: String) -> String? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 16, shape(bytes[0..<10], "dddd-dd-dd"), bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: " "),
            shape(bytes[11..<16], "dd:dd")
        else { return nil }
        let seconds = bytes.count >= 19 && shape(bytes[16..<19], ":dd") ? String(decoding: bytes[17..<19], as: UTF8.self) : "00"
        return String(decoding: bytes[0..<10], as: UTF8.self) + "T" + String(decoding: bytes[11..<16], as: UTF8.self) + ":" + seconds
    }

    /// Whether `bytes` have `pattern`'s shape: `d` a digit, anything else itself.
    private static func shape<C: Collection>(_ bytes: C, _ pattern: String) -> Bool where C.Element == UInt8 {
        guard bytes.count == pattern.utf8.count else { return false }
        return zip(bytes, pattern.utf8).allSatisfy { byte, want in
            want == UInt8(ascii: "d") ? (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) : byte == want
        }
    }
}
