/// The `:` commands, k9s-style: each with its name, what it takes, and what it does.
public enum ConsoleCommand: String, Sendable, CaseIterable {
    case today, date, week, day, doctors, rooms, search
    case newPatient = "new-patient"
    case collections
    case dayTotals = "day-totals"
    case myDay = "my-day"
    case confirmList = "confirm-list"
    case findSlot = "find-slot"
    case editPatient = "edit-patient"
    case attachDocument = "attach-document"
    case schedule, notes, billing, patients, theme, sync, help, quit

    /// The command a person typed: its name, or one of the other words it answers to.
    public init?(typed name: String) {
        switch name {
        case "goto", "go": self = .date
        case "chart": self = .notes
        case "q": self = .quit
        default: self.init(rawValue: name)
        }
    }

    /// What it takes after its name, as the prompt shows it (nil: nothing).
    public var argument: String? {
        switch self {
        case .date: "DATE"
        case .search: "TEXT"
        case .theme: "NAME"
        default: nil
        }
    }

    /// What it does, for the prompt and the help.
    public var summary: String {
        switch self {
        case .today: "the schedule for today"
        case .date: "go to a date: T, T+1, T-1W, 12/3, 2026-12-03"
        case .week: "the week view"
        case .day: "the day view"
        case .doctors: "a column per doctor"
        case .rooms: "a column per exam room"
        case .search: "search patients"
        case .newPatient: "register a new patient"
        case .collections: "today's payments, per desk"
        case .dayTotals: "the billing day's charges and payments per office and doctor"
        case .myDay: "your visits today, with new lab results flagged"
        case .confirmList: "tomorrow's visits to confirm"
        case .findSlot: "the next free slot"
        case .editPatient: "change the patient's address, phones, insurance"
        case .attachDocument: "attach a scan to the patient's chart"
        case .schedule: "the schedule pane"
        case .notes: "the note viewer"
        case .billing: "the billing pane"
        case .patients: "the patient search pane"
        case .theme: "change colours"
        case .sync: "sync with DrChrono now"
        case .help: "keys for this pane"
        case .quit: "leave chronoterm"
        }
    }

    /// Offered by Tab and listed in the help (`patients` works, as `2` does, unlisted).
    public var isListed: Bool { self != .patients }
}
