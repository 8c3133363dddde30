/// What a key does. Key bindings map keys to actions per context; the panes act on
/// actions, never on raw keys, so a rebinding changes nothing else.
public enum Action: String, CaseIterable, Sendable {
    // Anywhere
    case quit, help, command, search, back, redraw
    case nextPane = "next-pane"
    case previousPane = "previous-pane"
    case scheduleSection = "pane-schedule"
    case searchSection = "pane-search"
    case notesSection = "pane-notes"
    case billingSection = "pane-billing"
    // Moving in a list or grid
    case up, down, left, right
    case pageUp = "page-up"
    case pageDown = "page-down"
    case top, bottom, open
    // Schedule
    case today
    case nextDay = "next-day"
    case previousDay = "previous-day"
    case goToDate = "go-to-date"
    case toggleWeek = "toggle-week"
    case toggleColumns = "toggle-columns"
    case nextInSlot = "next-in-slot"
    case book, move
    case setStatus = "set-status"
    case checkIn = "check-in"
    case cancel, billing, chart
    case confirmList = "confirm-list"
    case findSlot = "find-slot"
    // Notes
    case nextSection = "next-section"
    case previousSection = "previous-section"
    case find
    case nextMatch = "next-match"
    case previousMatch = "previous-match"
    // Billing
    case addLineItem = "add-line-item"
    case fixLineItem = "fix-line-item"
    case voidLineItem = "void-line-item"
    case billingStatus = "billing-status"
    case claimNote = "claim-note"
    case applyProfile = "apply-billing-profile"
    case collectPayment = "collect-payment"
    case collections
    case dayTotals = "day-totals"
    case myDay = "my-day"
    // Patients
    case newPatient = "new-patient"
    case editPatient = "edit-patient"
    case attachDocument = "attach-document"

    // Questions and pickers (cancel this visit? quit with writes queued? which status?)
    case confirm, decline

    /// What it does, in the words help shows.
    public var summary: String {
        switch self {
        case .quit: "quit (asks first while writes are queued)"
        case .help: "help for the pane you are in"
        case .command: "type a command (Tab completes)"
        case .search: "search patients"
        case .back: "back / close"
        case .redraw: "redraw the screen"
        case .nextPane: "next pane"
        case .previousPane: "previous pane"
        case .scheduleSection: "schedule"
        case .searchSection: "patient search"
        case .notesSection: "notes"
        case .billingSection: "billing"
        case .up: "up"
        case .down: "down"
        case .left: "left"
        case .right: "right"
        case .pageUp: "page up"
        case .pageDown: "page down"
        case .top: "first"
        case .bottom: "last"
        case .open: "open"
        case .today: "today"
        case .nextDay: "next day (week in week view)"
        case .previousDay: "previous day (week in week view)"
        case .goToDate: "go to a date: T, T+1, T-1W, 12/3"
        case .toggleWeek: "day / week view"
        case .toggleColumns: "columns per doctor / per exam room"
        case .nextInSlot: "the next visit in this slot (one may hide behind)"
        case .book: "book into the empty slot"
        case .move: "move the appointment (Enter on the new slot)"
        case .setStatus: "change the appointment's status"
        case .checkIn: "check the patient in"
        case .cancel: "cancel the appointment"
        case .billing: "billing for the appointment"
        case .chart: "open the patient's chart"
        case .confirmList: "tomorrow's visits to confirm, with phones"
        case .findSlot: "find the next free slot for a visit type"
        case .nextSection: "next chart section"
        case .previousSection: "previous chart section"
        case .find: "find in this note"
        case .nextMatch: "next match"
        case .previousMatch: "previous match"
        case .addLineItem: "add a line item"
        case .fixLineItem: "correct a line item (code, price, modifiers, diagnoses)"
        case .voidLineItem: "void a line item (asks first)"
        case .billingStatus: "set the claim's billing status (Bill Insurance …)"
        case .claimNote: "write a note on the visit's claim"
        case .applyProfile: "add a billing profile's charges, priced from the fee schedule"
        case .collectPayment: "take a payment (the copay filled in)"
        case .collections: "today's payments, per desk, with totals"
        case .dayTotals: "the day's charges, adjustments and payments per office and doctor"
        case .myDay: "your visits today, new lab results flagged"
        case .newPatient: "register a new patient"
        case .editPatient: "change the patient's address, phones, insurance"
        case .attachDocument: "attach a scanned card or form to the chart"
        case .confirm: "yes: cancel it, quit"
        case .decline: "no: keep it, stay"
        }
    }
}

/// Where a binding applies: everywhere, or in one pane (which wins over everywhere).
public enum KeyContext: String, CaseIterable, Sendable {
    case global, schedule, search, notes, billing
    /// A question or a picker over the pane (cancel this visit? which status?): its
    /// own answers, then the global moves (up, down, open, back).
    case dialog

    public init(_ pane: Pane) {
        switch pane {
        case .schedule: self = .schedule
        case .search: self = .search
        case .notes: self = .notes
        case .billing: self = .billing
        }
    }
}
