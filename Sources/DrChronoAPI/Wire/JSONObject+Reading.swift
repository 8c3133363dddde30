import Foundation

/// Tolerant field reading, for decoding what DrChrono sends.
///
/// Every accessor answers nil rather than throwing: a null, a missing key, a number sent
/// as a string or a string sent as a number all read as what they mean, and a value of
/// the wrong type reads as absent. One odd field never costs the rest of the row.
extension JSONObject {
    public func string(_ key: String) -> String? { self[key]?.stringValue }
    public func int(_ key: String) -> Int? { self[key]?.intValue }
    public func double(_ key: String) -> Double? { self[key]?.doubleValue }
    public func bool(_ key: String) -> Bool? { self[key]?.boolValue }
    public func object(_ key: String) -> JSONObject? { self[key]?.objectValue }
    public func array(_ key: String) -> [JSONValue] { self[key]?.arrayValue ?? [] }

    /// A zone-less timestamp or date.
    public func dateTime(_ key: String) -> LocalDateTime? { string(key).flatMap(LocalDateTime.init) }

    /// A list of strings; a JSON-encoded list inside a string (as `metatags`) reads too.
    public func strings(_ key: String) -> [String] {
        switch self[key] {
        case .array(let items)?: return items.compactMap(\.stringValue)
        case .string(let text)? where text.hasPrefix("["):
            return (try? JSONValue.parse(Data(text.utf8)))?.arrayValue?.compactMap(\.stringValue) ?? []
        default: return []
        }
    }

    public func ints(_ key: String) -> [Int] { array(key).compactMap(\.intValue) }
}
