/// The small part of TOML that chronoterm's own files use — `[section]` headers and
/// `key = value` lines whose value is a string, a boolean, an integer or an array of
/// strings — read with the line of every entry kept, so a mistake is reported where it is.
///
/// Theme and key-binding files are written by hand; telling the person "line 14: …"
/// matters more than accepting every corner of TOML. Anything outside this subset is
/// refused with its line, never silently ignored.
public struct SettingsFile: Sendable {
    public enum Value: Sendable, Equatable {
        case string(String)
        case bool(Bool)
        case integer(Int)
        case strings([String])
    }

    public struct Entry: Sendable, Equatable {
        public var section: String
        public var key: String
        public var value: Value
        public var line: Int
    }

    public struct Section: Sendable, Equatable {
        public var name: String
        public var line: Int
    }

    public private(set) var entries: [Entry] = []
    public private(set) var sections: [Section] = []

    public init(parsing text: String, name: String) throws(SettingsFileError) {
        var section = ""
        var seen = Set<String>()
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = index + 1
            let line = Self.withoutComment(String(rawLine)).trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]"), !line.hasPrefix("[[") else {
                    throw SettingsFileError(file: name, line: number, message: "a section header looks like [name]")
                }
                section = String(line.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)
                guard !section.isEmpty, section.allSatisfy(Self.isKeyCharacter) else {
                    throw SettingsFileError(
                        file: name, line: number, message: "'\(section)' is not a section name (letters, digits, - and _)")
                }
                guard !sections.contains(where: { $0.name == section }) else {
                    throw SettingsFileError(file: name, line: number, message: "[\(section)] appears twice")
                }
                sections.append(Section(name: section, line: number))
                continue
            }
            guard let equals = line.firstIndex(of: "=") else {
                throw SettingsFileError(file: name, line: number, message: "expected key = value")
            }
            var key = line[..<equals].trimmingCharacters(in: .whitespaces)
            if key.count >= 2, key.hasPrefix("\""), key.hasSuffix("\"") { key = String(key.dropFirst().dropLast()) }
            guard !key.isEmpty, key.allSatisfy(Self.isKeyCharacter) else {
                throw SettingsFileError(file: name, line: number, message: "'\(key)' is not a key name (letters, digits, - and _)")
            }
            guard seen.insert(section + "." + key).inserted else {
                throw SettingsFileError(
                    file: name, line: number, message: "'\(key)' is set twice\(section.isEmpty ? "" : " in [\(section)]")")
            }
            let valueText = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if valueText.isEmpty, rawLine.contains("#") {
                throw SettingsFileError(
                    file: name, line: number,
                    message: "the value is missing (an unquoted # starts a comment: write colours in quotes, as \"#1e1e2e\")")
            }
            do {
                entries.append(Entry(section: section, key: key, value: try Self.value(valueText), line: number))
            } catch {
                throw SettingsFileError(file: name, line: number, message: error.reason)
            }
        }
    }

    /// The entries of one section (`""` for those before any header), in file order.
    public func entries(in section: String) -> [Entry] { entries.filter { $0.section == section } }

    private struct Unreadable: Error { var reason: String }

    private static func isKeyCharacter(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "-" || c == "_" }

    /// The line up to a `#` that is not inside a string.
    private static func withoutComment(_ line: String) -> String {
        var quote: Character?
        var escaped = false
        for (offset, c) in line.enumerated() {
            if escaped { escaped = false; continue }
            if quote == "\"" && c == "\\" { escaped = true; continue }
            if let open = quote { if c == open { quote = nil }; continue }
            if c == "\"" || c == "'" { quote = c; continue }
            if c == "#" { return String(line.prefix(offset)) }
        }
        return line
    }

    private static func value(_ text: String) throws(Unreadable) -> Value {
        if text == "true" { return .bool(true) }
        if text == "false" { return .bool(false) }
        if let number = Int(text.replacingOccurrences(of: "_", with: "")),
            text.first?.isNumber == true || text.first == "-" || text.first == "+"
        {
            return .integer(number)
        }
        if text.hasPrefix("[") {
            guard text.hasSuffix("]") else { throw Unreadable(reason: "an array must end on the same line with ]") }
            var rest = Substring(text.dropFirst().dropLast())
            var items: [String] = []
            while true {
                rest = rest.drop(while: { $0 == " " || $0 == "\t" })
                if rest.isEmpty { break }
                let (item, after) = try string(rest)
                items.append(item)
                rest = after.drop(while: { $0 == " " || $0 == "\t" })
                if rest.isEmpty { break }
                guard rest.first == "," else { throw Unreadable(reason: "separate the array's strings with commas") }
                rest = rest.dropFirst()
            }
            return .strings(items)
        }
        if text.hasPrefix("\"") || text.hasPrefix("'") {
            let (string, rest) = try string(Substring(text))
            guard rest.trimmingCharacters(in: .whitespaces).isEmpty else { throw Unreadable(reason: "unexpected text after the string") }
            return .string(string)
        }
        if text.isEmpty { throw Unreadable(reason: "the value is missing") }
        throw Unreadable(reason: "\(text) is not a value: put text in quotes, as \"\(text)\"")
    }

    /// A quoted string at the start of `text` and what follows it.
    private static func string(_ text: Substring) throws(Unreadable) -> (String, Substring) {
        guard let quote = text.first, quote == "\"" || quote == "'" else { throw Unreadable(reason: "expected a quoted string") }
        var result = ""
        var index = text.index(after: text.startIndex)
        while index < text.endIndex {
            let c = text[index]
            if c == quote { return (result, text[text.index(after: index)...]) }
            if c == "\\" && quote == "\"" {
                index = text.index(after: index)
                guard index < text.endIndex else { break }
                switch text[index] {
                case "n": result.append("\n")
                case "t": result.append("\t")
                case "\"": result.append("\"")
                case "\\": result.append("\\")
                default: throw Unreadable(reason: "unknown escape \\\(text[index]) in a string")
                }
            } else {
                result.append(c)
            }
            index = text.index(after: index)
        }
        throw Unreadable(reason: "a string is not closed")
    }
}

/// A mistake in a settings file, with where it is: "keys.toml:12: …".
public struct SettingsFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var message: String

    public init(file: String, line: Int, message: String) { (self.file, self.line, self.message) = (file, line, message) }

    public var description: String { "\(file):\(line): \(message)" }
}
