import DrChronoAPI
import Foundation

/// Reads a write's fields the way a Django REST framework serializer validates them:
/// unknown fields ignored, each bad field named with DRF's own message.
struct FieldReader {
    let fields: JSONObject
    var errors = FieldErrors()

    init(_ fields: JSONObject) { self.fields = fields }

    func present(_ key: String) -> Bool { fields[key] != nil }

    /// Adds "This field is required." when `key` is absent, null or blank.
    mutating func require(_ keys: String...) {
        for key in keys {
            switch fields[key] {
            case nil: errors.add(key, "This field is required.")
            case .null?: errors.add(key, "This field may not be null.")
            case .string(let s)? where s.trimmingCharacters(in: .whitespaces).isEmpty: errors.add(key, "This field may not be blank.")
            default: break
            }
        }
    }

    mutating func int(_ key: String) -> Int? {
        guard let value = fields[key], !value.isNull else { return nil }
        if case .string(let s) = value, s.isEmpty { return nil }
        guard let int = value.intValue else { errors.add(key, "A valid integer is required."); return nil }
        return int
    }

    mutating func double(_ key: String) -> Double? {
        guard let value = fields[key], !value.isNull else { return nil }
        guard let number = value.doubleValue, number.isFinite else { errors.add(key, "A valid number is required."); return nil }
        return number
    }

    mutating func string(_ key: String, maxLength: Int = 10_000) -> String? {
        guard let value = fields[key], !value.isNull else { return nil }
        switch value {
        case .string(let s):
            if s.count > maxLength { errors.add(key, "Ensure this field has no more than \(maxLength) characters."); return nil }
            return s
        case .int, .double: return value.stringValue
        default: errors.add(key, "Not a valid string."); return nil
        }
    }

    mutating func bool(_ key: String) -> Bool? {
        guard let value = fields[key], !value.isNull else { return nil }
        guard let bool = value.boolValue else { errors.add(key, "Must be a valid boolean."); return nil }
        return bool
    }

    mutating func dateTime(_ key: String) -> LocalDateTime? {
        guard let text = string(key) else { return nil }
        guard text.count > 10, let value = LocalDateTime(text) else {
            errors.add(key, "Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]].")
            return nil
        }
        return value
    }

    mutating func date(_ key: String) -> String? {
        guard let text = string(key), !text.isEmpty else { return nil }
        guard text.count == 10, let value = LocalDateTime(text) else {
            errors.add(key, "Date has wrong format. Use one of these formats instead: YYYY-MM-DD.")
            return nil
        }
        return value.dateString
    }

    /// A list of strings; a JSON-encoded list in a form field is accepted too.
    mutating func stringList(_ key: String) -> [String]? {
        guard var value = fields[key], !value.isNull else { return nil }
        if case .string(let s) = value {
            if s.hasPrefix("["), let parsed = try? JSONValue.parse(Data(s.utf8)) {
                value = parsed
            } else {
                return s.isEmpty ? [] : s.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            }
        }
        guard case .array(let items) = value else {
            errors.add(key, "Expected a list of items but got type \"\(value.typeName)\"."); return nil
        }
        var result: [String] = []
        for item in items {
            guard let s = item.stringValue else { errors.add(key, "Not a valid string."); return nil }
            result.append(s)
        }
        return result
    }

    /// One of `choices`, with DRF's message naming the bad value.
    mutating func choice(_ key: String, _ choices: [String]) -> String? {
        guard let text = string(key) else { return nil }
        guard choices.contains(text) else { errors.add(key, "\"\(text)\" is not a valid choice."); return nil }
        return text
    }

    /// A primary key that must name an existing row.
    mutating func reference(_ key: String, exists: (Int) -> Bool) -> Int? {
        guard let value = fields[key], !value.isNull else { return nil }
        guard let id = value.intValue else {
            errors.add(key, "Incorrect type. Expected pk value, received \(value.typeName).")
            return nil
        }
        guard exists(id) else { errors.add(key, "Invalid pk \"\(id)\" - object does not exist."); return nil }
        return id
    }
}

extension JSONValue {
    var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "bool"
        case .int: "int"
        case .double: "float"
        case .string: "str"
        case .array: "list"
        case .object: "dict"
        }
    }
}
