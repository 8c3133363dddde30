/// The `:` command prompt: a command typed with Tab completion, k9s-style.
public struct CommandPrompt: Sendable, Equatable {
    public struct Command: Sendable, Equatable {
        public var name: String
        public var argument: String?
        public var summary: String
    }

    public static let commands: [Command] = [
        Command(name: "today", summary: "the schedule for today"),
        Command(name: "date", argument: "DATE", summary: "go to a date: T, T+1, T-1W, 12/3, 2026-12-03"),
        Command(name: "week", summary: "the week view"),
        Command(name: "day", summary: "the day view"),
        Command(name: "doctors", summary: "a column per doctor"),
        Command(name: "rooms", summary: "a column per exam room"),
        Command(name: "search", argument: "TEXT", summary: "search patients"),
        Command(name: "new-patient", summary: "register a new patient"),
        Command(name: "collections", summary: "today's payments, per desk"),
        Command(name: "day-totals", summary: "the billing day's charges and payments per office and doctor"),
        Command(name: "my-day", summary: "your visits today, with new lab results flagged"),
        Command(name: "confirm-list", summary: "tomorrow's visits to confirm"),
        Command(name: "find-slot", summary: "the next free slot"),
        Command(name: "edit-patient", summary: "change the patient's address, phones, insurance"),
        Command(name: "attach-document", summary: "attach a scan to the patient's chart"),
        Command(name: "schedule", summary: "the schedule pane"),
        Command(name: "notes", summary: "the note viewer"),
        Command(name: "billing", summary: "the billing pane"),
        Command(name: "theme", argument: "NAME", summary: "change colours"),
        Command(name: "sync", summary: "sync with DrChrono now"),
        Command(name: "help", summary: "keys for this pane"),
        Command(name: "quit", summary: "leave chronoterm"),
    ]

    public var field = TextField(limit: 120)
    /// What Tab offered last; shown under the line.
    public var candidates: [String] = []
    public var error: String?

    public init() {}

    /// Completes the command name, or a theme name after `theme `.
    public mutating func complete(themes: [String]) {
        let text = field.text
        let options: [String]
        let prefix: String
        if let space = text.firstIndex(of: " ") {
            guard text[..<space] == "theme" else { candidates = []; return }
            prefix = String(text[text.index(after: space)...])
            options = themes.filter { $0.hasPrefix(prefix) }.map { "theme " + $0 }
        } else {
            prefix = text
            options = Self.commands.map(\.name).filter { $0.hasPrefix(prefix) }
        }
        candidates = options
        guard let first = options.first else { error = "No command starts with '\(text)'"; return }
        error = nil
        var common = first
        for option in options.dropFirst() { while !option.hasPrefix(common) { common.removeLast() } }
        if options.count == 1 {
            field.text = first + (Self.commands.first { $0.name == first }?.argument != nil ? " " : "")
        } else if common.count > field.text.count {
            field.text = common
        }
    }
}
