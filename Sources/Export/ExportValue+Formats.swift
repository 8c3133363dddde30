import DrChronoAPI
import Foundation
import Mirror

extension ExportValue {
    /// The value in a JSON document (a JSON line, a change event's row).
    public var json: JSONValue {
        switch self {
        case .null: .null
        case .integer(let number): .int(Int(number))
        case .text(let text): .string(text)
        case .boolean(let flag): .bool(flag)
        case .decimal(let number): .double(number)
        case .json(let text): (try? JSONValue.parse(Data(text.utf8))) ?? .null
        }
    }

    /// The value as a CSV cell (RFC 4180): empty for null, quoted when it holds a comma,
    /// quote or line break. A text that a spreadsheet would run as a formula (starting
    /// `=`, `+`, `-`, `@`, a tab or a carriage return) is led by a `'` so it stays text.
    public var csvCell: String {
        switch self {
        case .null: return ""
        case .integer(let number): return String(number)
        case .boolean(let flag): return flag ? "true" : "false"
        case .decimal(let number): return Self.decimalText(number)
        case .json(let text): return Self.quoted(text)
        case .text(let text):
            let safe = text.first.map { "=+-@\t\r".contains($0) } == true ? "'" + text : text
            return Self.quoted(safe)
        }
    }

    /// The value in PostgreSQL's COPY text format: `\N` for null; backslash, tab and
    /// line breaks escaped.
    public var copyText: String {
        switch self {
        case .null: return "\\N"
        case .integer(let number): return String(number)
        case .boolean(let flag): return flag ? "t" : "f"
        case .decimal(let number): return Self.decimalText(number)
        case .text(let text), .json(let text):
            var out = ""
            out.reserveCapacity(text.utf8.count)
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\\": out += "\\\\"
                case "\t": out += "\\t"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\0": break  // PostgreSQL's text holds no NUL
                default: out.unicodeScalars.append(scalar)
                }
            }
            return out
        }
    }

    static func decimalText(_ number: Double) -> String {
        number.rounded() == number && abs(number) < 1e15 ? String(Int64(number)) : String(number)
    }

    private static func quoted(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

extension ExportTable {
    /// A change event's row (SQLite's json_object) as this table's typed values, in column order.
    public func values(ofEventRow text: String) -> [ExportValue] {
        let object = (try? JSONValue.parse(Data(text.utf8)))?.objectValue ?? JSONObject()
        return columns.map { column in object[column.name].map { column.type.value($0) } ?? .null }
    }

    /// Typed values as a JSON object, the table's columns as its keys.
    public func jsonObject(_ values: [ExportValue]) -> JSONValue {
        var object = JSONObject()
        for (column, value) in zip(columns, values) { object[column.name] = value.json }
        return .object(object)
    }
}
