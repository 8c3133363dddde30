import DrChronoAPI
import Foundation
import Mirror
import Practice

/// The whole console as a value: keys in, view state and effects out. It reads and
/// writes nothing itself — `ConsoleSession` performs its effects against the mirror —
/// so a test drives it with keys and checks what a person would see.
public struct ConsoleModel: Sendable {
    public var pane: Pane
    public var overlay: Overlay?
    public var schedule: ScheduleModel
    public var search = PatientSearchModel()
    public var chart = ChartModel()
    public var billing: BillingModel
    public var status = StatusInfo()
    public var message: ConsoleMessage?
    public var keyMap: KeyMap
    public var role: Role
    /// The practice's person at this console (`console --person`); nil for a profile of
    /// one person's own.
    public var person: String?
    /// The doctors whose side the person works on (their grant's); nil: the whole practice.
    public var doctorsSeen: Set<Int>?
    /// What this profile may queue (its role's writes).
    public var writes: Set<WorkArea>
    public var canWrite: Bool { !writes.isEmpty }
    /// The practice's local time now.
    public var now: LocalDateTime
    /// The wall clock, for messages that clear themselves.
    public var clock: Date
    public var themeNames: [String] = []
    /// The only folders this console may save copies to and attach scans from, as the
    /// office manager set them (nil: that job is off). A person types a name in them, never a path.
    public var folders = PersonFolders()
    /// Panes visited, for Esc to go back to.
    var history: [Pane] = []
    /// The screen is locked: nothing but the passphrase prompt shows, keys go to it.
    public var locked = false
    /// What has been typed at the lock (shown as dots).
    public var unlockField = TextField(limit: 200)
    public var unlockError: String?
    /// Wrong passphrases in a row at the lock, and until when the next try waits: each
    /// wrong one doubles the wait (1 s, 2 s, 4 s … 60 s), so guessing is slow.
    public var unlockFailures = 0
    public var unlockWaitUntil: Date?
    /// The profile is sealed by a key file, not a passphrase: the lock can only quit.
    public var lockOnlyQuits = false
    /// Lock after this long without a key (nil: never).
    public var lockAfter: TimeInterval?
    /// When the last key was pressed, for the idle lock.
    var lastKeyAt: Date
    /// The window's size, from the last resize: panes are fitted to it when their
    /// rows change.
    public private(set) var size: (width: Int, height: Int)?
    /// The first schedule read puts the cursor on the time it is now (today's).
    var placeCursorAtNow = false
    /// A slot found by find-slot, waiting for its booking form: the minutes and visit
    /// type searched for fill it.
    var slotChoice: (minutes: Int, visitType: Int?)?
    /// What was last recorded as open, so each opening is audited once.
    var opened: (patient: Int?, note: Int?, visit: String?) = (nil, nil, nil)
    /// Whether the ICD-10-CM list was asked for: once, when billing is first shown.
    var codeListAsked = false
    /// Panes' rows a commit changed while they were hidden: read when shown.
    var staleDatasets: Set<Dataset> = []
    /// Whether the last update left what is shown as it was (news that the mirror moved,
    /// a read that brought the rows already on screen): the runtime draws nothing for it.
    public internal(set) var changedNothing = false

    public init(role: Role, writes: Set<WorkArea>? = nil, now: LocalDateTime, clock: Date = Date(), keyMap: KeyMap = .defaults) {
        self.role = role
        self.writes = writes ?? role.writes()
        self.now = now
        self.clock = clock
        self.keyMap = keyMap
        lastKeyAt = clock
        pane = role.firstPane
        schedule = ScheduleModel(day: now)
        billing = BillingModel(day: now)
    }

    // MARK: Messages

    public mutating func say(_ text: String, error: Bool = false, seconds: TimeInterval = 5) {
        message = ConsoleMessage(text: text, isError: error, expires: clock.addingTimeInterval(seconds))
    }

    /// Time passes: messages expire, and an idle screen locks.
    @discardableResult
    public mutating func tick(clock: Date, now: LocalDateTime) -> [Effect] {
        self.clock = clock
        self.now = now
        if let message, message.expires <= clock { self.message = nil }
        if let lockAfter, !locked, clock.timeIntervalSince(lastKeyAt) >= lockAfter {
            lock()
            return [.audit([AuditTrail.Event(.lock, outcome: "idle \(Int(lockAfter)) s")])]
        }
        return []
    }

    /// The window changed size (and once at the start): every pane is fitted to it.
    @discardableResult
    public mutating func resize(width: Int, height: Int) -> [Effect] {
        size = (width, height)
        fit(width: width, height: height)
        return schedule.needsWiderRead ? [.reload(.schedule)] : []
    }

    /// The console opens: everything the panes show is read.
    public mutating func start() -> [Effect] {
        placeCursorAtNow = true
        return Dataset.allCases.map { .reload($0) } + settle()
    }

    // MARK: Keys

    /// A key pressed at `date` (the idle lock counts from it).
    public mutating func press(_ key: Key, at date: Date) -> [Effect] {
        lastKeyAt = date
        return press(key)
    }

    public mutating func press(_ key: Key) -> [Effect] {
        pressKey(key) + settle()
    }

    mutating func pressKey(_ key: Key) -> [Effect] {
        if locked { return pressWhileLocked(key) }
        if overlay != nil { return pressInOverlay(key) }
        if pane == .search && search.editing, let effects = typeInSearch(key) { return effects }
        if pane == .notes, chart.finding != nil { return typeInFind(key) }
        guard let action = keyMap.action(for: key, in: pane) else { return [] }
        if let effects = globalAction(action) { return effects }
        if let effects = patientAction(action) { return effects }
        if let effects = paymentAction(action) { return effects }
        switch pane {
        case .schedule: return scheduleAction(action)
        case .search: return searchAction(action)
        case .notes: return notesAction(action)
        case .billing: return billingAction(action)
        }
    }

    mutating func globalAction(_ action: Action) -> [Effect]? {
        switch action {
        case .quit:
            if status.queued > 0 { overlay = .confirmQuit(queued: status.queued); return [] }
            return [.quit]
        case .help: overlay = .help(); return []
        case .command: overlay = .command(CommandPrompt()); return []
        case .search:
            // A fresh search from elsewhere; `/` in the list itself edits the query.
            if pane != .search { search.query.text = "" }
            show(.search)
            search.editing = true
            return [.reload(.search)]
        case .back: return goBack()
        case .redraw: return [.redraw]
        case .nextPane: return show(Pane(rawValue: pane.rawValue % 4 + 1)!)
        case .previousPane: return show(Pane(rawValue: (pane.rawValue + 2) % 4 + 1)!)
        case .scheduleSection: return show(.schedule)
        case .searchSection:
            // One rule: the Patients pane opens with its query taking the keys (as `/`
            // does), so a name typed after `2` is typed, never run as commands.
            show(.search)
            search.editing = true
            return []
        case .notesSection: return show(.notes)
        case .billingSection: return show(.billing)
        case .myDay: return run(.myDay)
        default: return nil
        }
    }

    @discardableResult
    public mutating func show(_ target: Pane) -> [Effect] {
        guard target != pane else { return [] }
        history.append(pane)
        if history.count > 20 { history.removeFirst() }
        pane = target
        if target == .notes && chart.patientId == nil { say("Find a patient first: press / and type a name, then Enter.") }
        return []
    }

    mutating func goBack() -> [Effect] {
        if pane == .schedule, schedule.moving != nil || schedule.bookingFor != nil {
            schedule.moving = nil
            schedule.bookingFor = nil
            say("Stopped.")
            return []
        }
        if pane == .search, search.pickingFor != nil {
            search.pickingFor = nil
            pane = .schedule
            return []
        }
        if let previous = history.popLast() { pane = previous }
        return []
    }

    // MARK: Lock

    /// The latest moment the console knows of: the last tick or the last key.
    var latest: Date { max(clock, lastKeyAt) }

    /// When the idle lock closes the console if no key comes first (nil: no lock, or locked).
    public var locksAt: Date? { locked ? nil : lockAfter.map { lastKeyAt.addingTimeInterval($0) } }

    /// Locks the screen: the next frame shows only the lock.
    public mutating func lock() {
        locked = true
        unlockField = TextField(limit: 200)
        unlockError = nil
        message = nil
    }

    mutating func pressWhileLocked(_ key: Key) -> [Effect] {
        switch key {
        case .enter:
            let typed = unlockField.text
            unlockField = TextField(limit: 200)
            if let until = unlockWaitUntil, latest < until {
                unlockError = "Too many wrong tries: wait \(Int(until.timeIntervalSince(latest).rounded(.up))) s, then type it again."
                return []
            }
            return [.unlock(typed)]
        case .escape: unlockField = TextField(limit: 200)
        default:
            unlockField.handle(key)
            unlockError = nil
        }
        return []
    }
}
