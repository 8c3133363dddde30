import Foundation

/// Which key does what, per context. A pane's bindings win over the global ones, so
/// `/` can find inside a note while it searches patients everywhere else.
///
/// A person's own bindings come from a file of `[context]` sections of
/// `action = "key"` or `action = ["key", "key"]` lines; binding an action replaces its
/// default keys in that context. A file whose binding would take a key another action
/// already answers to — in its context, or globally — is refused with the line.
public struct KeyMap: Sendable {
    private var bindings: [KeyContext: [Key: Action]] = [:]
    /// The file line that set each binding; defaults have none.
    private var lines: [KeyContext: [Key: Int]] = [:]

    public init() {}

    /// What `key` does in `pane`.
    public func action(for key: Key, in pane: Pane) -> Action? {
        action(for: key, within: KeyContext(pane))
    }

    /// What `key` does in `context`: its own binding, else the global one.
    public func action(for key: Key, within context: KeyContext) -> Action? {
        bindings[context]?[key] ?? bindings[.global]?[key]
    }

    /// The keys for `action` in `context`, in a stable order for help.
    public func keys(for action: Action, in context: KeyContext) -> [Key] {
        (bindings[context] ?? [:]).filter { $0.value == action }.map(\.key).sorted { Self.order($0) < Self.order($1) }
    }

    /// Every action bound in `context`, each with its keys, in the order of `Action`.
    public func bound(in context: KeyContext) -> [(action: Action, keys: [Key])] {
        Action.allCases.compactMap { action in
            let keys = keys(for: action, in: context)
            return keys.isEmpty ? nil : (action, keys)
        }
    }

    /// Letters first (each before its capital), then other characters, then named keys:
    /// `j down`, `n ]`, `y Y`.
    static func order(_ key: Key) -> String {
        switch key {
        // A letter before its capital: `y Y`.
        case .character(let c) where c.isLetter || c.isNumber: "0" + c.lowercased() + (c.isUppercase ? "1" : "0")
        case .character(let c): "1" + String(c)
        case .control: "2" + key.description
        default: "3" + key.description
        }
    }

    public mutating func bind(_ keys: [Key], to action: Action, in context: KeyContext, line: Int? = nil) {
        bindings[context, default: [:]] = bindings[context, default: [:]].filter { $0.value != action }
        lines[context, default: [:]] = lines[context, default: [:]].filter { bindings[context]?[$0.key] != nil }
        for key in keys {
            bindings[context, default: [:]][key] = action
            if let line { lines[context, default: [:]][key] = line }
        }
    }

    /// The bindings a new user starts with: vi keys and arrows, k9s-style `:` `/` `?`.
    public static let defaults: KeyMap = {
        var map = KeyMap()
        let global: [(Action, [String])] = [
            (.quit, ["q"]), (.help, ["?", "f1"]), (.command, [":"]), (.search, ["/"]), (.back, ["esc"]), (.redraw, ["ctrl-l"]),
            (.nextPane, ["tab"]), (.previousPane, ["shift-tab"]),
            (.scheduleSection, ["1"]), (.searchSection, ["2"]), (.notesSection, ["3"]), (.billingSection, ["4"]),
            (.up, ["k", "up"]), (.down, ["j", "down"]), (.left, ["h", "left"]), (.right, ["l", "right"]),
            (.pageUp, ["pgup", "ctrl-u"]), (.pageDown, ["pgdn", "ctrl-d"]), (.top, ["g", "home"]), (.bottom, ["G", "end"]),
            (.open, ["enter"]),
        ]
        let schedule: [(Action, [String])] = [
            (.today, ["t"]), (.nextDay, ["n", "]"]), (.previousDay, ["p", "["]), (.goToDate, ["d"]),
            (.toggleWeek, ["w"]), (.toggleColumns, ["r"]), (.nextInSlot, ["v"]),
            (.book, ["b"]), (.move, ["m"]), (.setStatus, ["s"]), (.checkIn, ["c"]), (.cancel, ["x"]),
            (.billing, ["$"]), (.chart, ["o"]), (.newPatient, ["N"]), (.editPatient, ["e"]),
            (.collectPayment, ["P"]), (.collections, ["C"]), (.confirmList, ["W"]), (.findSlot, ["f"]), (.myDay, ["D"]),
        ]
        let search: [(Action, [String])] = [
            (.book, ["b"]), (.chart, ["o"]), (.newPatient, ["N"]), (.editPatient, ["e"]), (.findSlot, ["f"]), (.attachDocument, ["A"]),
            (.myDay, ["D"]),
        ]
        let notes: [(Action, [String])] = [
            (.editPatient, ["e"]), (.attachDocument, ["A"]), (.myDay, ["D"]),
            (.nextSection, ["]"]), (.previousSection, ["["]), (.find, ["/"]), (.nextMatch, ["n"]), (.previousMatch, ["N"]),
        ]
        let billing: [(Action, [String])] = [
            (.addLineItem, ["a"]), (.fixLineItem, ["e"]), (.voidLineItem, ["v"]), (.billingStatus, ["B"]), (.claimNote, ["M"]),
            (.applyProfile, ["L"]),
            (.today, ["t"]), (.nextDay, ["n", "]"]),
            (.previousDay, ["p", "["]), (.chart, ["o"]),
            (.collectPayment, ["P"]), (.collections, ["C"]), (.dayTotals, ["T"]),
        ]
        let dialog: [(Action, [String])] = [(.confirm, ["y", "Y"]), (.decline, ["n", "N"])]
        for (context, list) in [
            (KeyContext.global, global), (.schedule, schedule), (.search, search), (.notes, notes), (.billing, billing),
            (.dialog, dialog),
        ] {
            for (action, names) in list { map.bind(names.map { Key(name: $0)! }, to: action, in: context) }
        }
        return map
    }()

    /// The defaults with a person's file laid over them.
    public static func load(_ text: String, name: String) throws(SettingsFileError) -> KeyMap {
        let file = try SettingsFile(parsing: text, name: name)
        var map = KeyMap.defaults
        for entry in file.entries {
            guard let context = KeyContext(rawValue: entry.section) else {
                let known = KeyContext.allCases.map { "[\($0.rawValue)]" }.joined(separator: ", ")
                throw SettingsFileError(
                    file: name, line: entry.line,
                    message: entry.section.isEmpty
                        ? "put bindings under a section: \(known)" : "[\(entry.section)] is not a place keys apply: use \(known)")
            }
            guard let action = Action(rawValue: entry.key) else {
                throw SettingsFileError(
                    file: name, line: entry.line, message: "'\(entry.key)' is not an action; `chronoterm keys` lists them")
            }
            let names: [String]
            switch entry.value {
            case .string(let one): names = [one]
            case .strings(let many): names = many
            default:
                throw SettingsFileError(
                    file: name, line: entry.line, message: "give a key in quotes, as \(entry.key) = \"x\", or a list, as [\"x\", \"down\"]")
            }
            var keys: [Key] = []
            for keyName in names {
                guard let key = Key(name: keyName) else {
                    throw SettingsFileError(
                        file: name, line: entry.line,
                        message:
                            "'\(keyName)' is not a key: use a character, space, ctrl-x, up, down, left, right, pgup, pgdn, home, end, enter, esc, tab, shift-tab, backspace, delete or f1–f12"
                    )
                }
                if keys.contains(key) { continue }
                // Taking a key from another action is a clash unless the file moves that
                // action elsewhere too; two lines of the file wanting one key always is.
                if let existing = map.bindings[context]?[key], existing != action {
                    let movedAway = file.entries.contains { $0.section == context.rawValue && $0.key == existing.rawValue }
                    if map.lines[context]?[key] != nil || !movedAway {
                        throw SettingsFileError(
                            file: name, line: entry.line,
                            message:
                                "'\(key)' already does \(existing.rawValue) in [\(context.rawValue)]; bind \(existing.rawValue) to another key first"
                        )
                    }
                }
                keys.append(key)
            }
            map.bind(keys, to: action, in: context, line: entry.line)
        }
        try map.checkShadows(name: name)
        return map
    }

    /// A key a person bound that a pane and the global map would both answer.
    private func checkShadows(name: String) throws(SettingsFileError) {
        for context in KeyContext.allCases where context != .global {
            for (key, action) in bindings[context] ?? [:] {
                guard let global = bindings[.global]?[key], global != action else { continue }
                guard let line = lines[context]?[key] ?? lines[.global]?[key] else { continue }
                throw SettingsFileError(
                    file: name, line: line,
                    message:
                        "'\(key)' would be \(action.rawValue) in [\(context.rawValue)] but \(global.rawValue) everywhere else; choose another key"
                )
            }
        }
    }

    /// `keys.toml` in chronoterm's configuration folder, if the person wrote one.
    public static func userFile(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        let base =
            environment["XDG_CONFIG_HOME"].map { URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: environment["HOME"] ?? NSHomeDirectory()).appendingPathComponent(".config")
        return base.appendingPathComponent("chronoterm/keys.toml")
    }
}
