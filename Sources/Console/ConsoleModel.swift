import DrChronoAPI
import Foundation
import Mirror

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
    /// What this profile may queue (its role's writes).
    public var writes: Set<WorkArea>
    public var canWrite: Bool { !writes.isEmpty }
    /// The practice's local time now.
    public var now: LocalDateTime
    /// The wall clock, for messages that clear themselves.
    public var clock: Date
    public var themeNames: [String] = []
    /// Panes visited, for Esc to go back to.
    private var history: [Pane] = []
    /// The screen is locked: nothing but the passphrase prompt shows, keys go to it.
    public var locked = false
    /// What has been typed at the lock (shown as dots).
    public var unlockField = TextField(limit: 200)
    public var unlockError: String?
    /// The profile is sealed by a key file, not a passphrase: the lock can only quit.
    public var lockOnlyQuits = false
    /// Lock after this long without a key (nil: never).
    public var lockAfter: TimeInterval?
    /// When the last key was pressed, for the idle lock.
    private var lastKeyAt: Date
    /// The window's size, from the last resize: panes are fitted to it when their
    /// rows change.
    public private(set) var size: (width: Int, height: Int)?
    /// The first schedule read puts the cursor on the time it is now (today's).
    private var placeCursorAtNow = false
    /// What was last recorded as open, so each opening is audited once.
    private var opened: (patient: Int?, note: Int?, visit: String?) = (nil, nil, nil)

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
            return [.audit([AuditEvent("lock", outcome: "idle \(Int(lockAfter)) s")])]
        }
        return []
    }

    /// The window changed size (and once at the start): every pane is fitted to it.
    @discardableResult
    public mutating func resize(width: Int, height: Int) -> [Effect] {
        size = (width, height)
        fit(width: width, height: height)
        return []
    }

    /// The console opens: everything the panes show is read.
    public mutating func start() -> [Effect] {
        placeCursorAtNow = true
        return Dataset.allCases.map { .reload($0) } + settle()
    }

    // MARK: Results

    /// An effect's result comes back: the only way, with keys, that what the console
    /// shows changes.
    public mutating func handle(_ result: EffectResult) -> [Effect] {
        var effects: [Effect] = []
        switch result {
        case .loaded(let loaded): effects = show(loaded)
        case .bookingFacts(let draft, let facts): effects = check(draft, facts: facts)
        case .queued(let write): effects = queued(write)
        case .notQueued(let why): say("Nothing was queued: \(why).", error: true)
        case .unlock(let answer):
            switch answer {
            case .unlocked:
                locked = false
                unlockError = nil
                effects = [.audit([AuditEvent("unlock")])]
            case .wrong: unlockError = "That is not this profile's passphrase."
            case .quit: effects = [.quit]
            }
        case .theme(let name, let problem):
            if let problem { say(problem, error: true) } else { say("Theme \(name).") }
        case .readFailed(let why): say("The local copy could not be read: \(why). Try chronoterm sync.", error: true)
        case .auditFailed(let why): say("The audit trail could not be written: \(why).", error: true)
        case .sync(let news):
            status.user = news.user
            status.sync = news.sync
            status.lastSync = news.lastSync
            status.budgetLeft = news.budgetLeft
            status.budgetHourly = news.budgetHourly
        }
        return effects + settle()
    }

    private mutating func show(_ loaded: Loaded) -> [Effect] {
        switch loaded {
        case .schedule(let data):
            schedule.show(data)
            if placeCursorAtNow {
                placeCursorAtNow = false
                if schedule.day == now.startOfDay { schedule.cursor(at: now) }
            }
        case .search(let rows, let query): search.show(rows, for: query)
        case .chart(let data): chart.show(data)
        case .billingDay(let visits, let names, let doctors):
            billing.show(visits: visits, names: names, doctors: doctors)
            return [.reload(.lineItems)]
        case .lineItems(let items): billing.show(lineItems: items)
        case .queue(let queued, let needsAttention): (status.queued, status.needsAttention) = (queued, needsAttention)
        }
        return []
    }

    /// A submitted booking against the mirror's facts: queued, or its problems shown
    /// (warnings need a second Enter).
    private mutating func check(_ draft: BookingDraft, facts: BookingFacts) -> [Effect] {
        guard case .booking(var form) = overlay else { return [] }
        let problems = BookingCheck.problems(draft.booking, facts: facts, now: now)
        let errors = problems.filter { $0.severity == .error }
        if !errors.isEmpty || (!problems.isEmpty && !form.warningsSeen) {
            form.problems = problems
            form.warningsSeen = errors.isEmpty
            overlay = .booking(form)
            say(
                errors.isEmpty ? "Press Enter again to book anyway, or Esc." : "Nothing was booked yet: fix what is marked.",
                error: !errors.isEmpty)
            return []
        }
        return [.queue(.book(draft))]
    }

    /// A write reached the queue: say so, close its form, show it.
    private mutating func queued(_ write: ConsoleWrite) -> [Effect] {
        switch write {
        case .book(let draft):
            let form: BookingForm? = if case .booking(let form) = overlay { form } else { nil }
            overlay = nil
            let doctor = form?.doctor.map { "Dr. \($0.lastName)" } ?? "the doctor"
            say(
                "Booked \(form?.patient.name ?? "the patient") with \(doctor) at \(draft.time.clock) on \(draft.time.month)/\(draft.time.day) — queued for DrChrono."
            )
        case .setStatus(_, let status, let who):
            say("\(who): \(AppointmentStatus.named(status).label) — queued for DrChrono.")
        case .move(_, let slot, let who):
            say("Moved \(who) to \(slot.time.clock) on \(slot.time.month)/\(slot.time.day) — queued for DrChrono.")
        case .charge(let form):
            overlay = nil
            if let charge = form.charge {
                say(
                    "Added \(charge.code) (\(BillingModel.money(Int((Double(charge.priceCents) * charge.quantity).rounded())))) for \(form.patientName) — queued for DrChrono."
                )
            }
        }
        return [.reload(.schedule), .reload(.billing), .reload(.queue), .pushQueue]
    }

    /// After every key and result: panes fitted to the window, and what was opened
    /// recorded in the audit trail.
    private mutating func settle() -> [Effect] {
        if let size { fit(width: size.width, height: size.height) }
        return openings()
    }

    /// The audit trail hears of every chart, note and visit's billing a person opens.
    private mutating func openings() -> [Effect] {
        var events: [AuditEvent] = []
        if pane == .notes, let patient = chart.patientId {
            if patient != opened.patient {
                events.append(AuditEvent("chart.open", patient: patient))
                opened.note = nil
            }
            if let note = chart.selectedNote?.id, note != opened.note {
                events.append(AuditEvent("note.open", patient: patient, reference: "clinical note \(note)"))
            }
            opened.patient = patient
            opened.note = chart.selectedNote?.id
        }
        if pane == .billing, let visit = billing.selectedVisit, visit.id != opened.visit {
            events.append(AuditEvent("billing.open", patient: visit.patient, appointment: visit.id))
            opened.visit = visit.id
        }
        return events.isEmpty ? [] : [.audit(events)]
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

    private mutating func pressKey(_ key: Key) -> [Effect] {
        if locked { return pressWhileLocked(key) }
        if overlay != nil { return pressInOverlay(key) }
        if pane == .search && search.editing, let effects = typeInSearch(key) { return effects }
        if pane == .notes, chart.finding != nil { return typeInFind(key) }
        guard let action = keyMap.action(for: key, in: pane) else { return [] }
        if let effects = globalAction(action) { return effects }
        switch pane {
        case .schedule: return scheduleAction(action)
        case .search: return searchAction(action)
        case .notes: return notesAction(action)
        case .billing: return billingAction(action)
        }
    }

    private mutating func globalAction(_ action: Action) -> [Effect]? {
        switch action {
        case .quit:
            if status.queued > 0 { overlay = .confirmQuit(queued: status.queued); return [] }
            return [.quit]
        case .help: overlay = .help; return []
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
        case .searchSection: return show(.search)
        case .notesSection: return show(.notes)
        case .billingSection: return show(.billing)
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

    private mutating func goBack() -> [Effect] {
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

    /// Locks the screen: the next frame shows only the lock.
    public mutating func lock() {
        locked = true
        unlockField = TextField(limit: 200)
        unlockError = nil
        message = nil
    }

    private mutating func pressWhileLocked(_ key: Key) -> [Effect] {
        switch key {
        case .enter:
            let typed = unlockField.text
            unlockField = TextField(limit: 200)
            return [.unlock(typed)]
        case .escape: unlockField = TextField(limit: 200)
        default:
            unlockField.handle(key)
            unlockError = nil
        }
        return []
    }

    // MARK: Schedule

    private mutating func scheduleAction(_ action: Action) -> [Effect] {
        let page = max(1, schedule.visibleRows - 1)
        switch action {
        case .up: schedule.moveCursor(rows: -1)
        case .down: schedule.moveCursor(rows: 1)
        case .left: schedule.moveCursor(columns: -1)
        case .right: schedule.moveCursor(columns: 1)
        case .pageUp: schedule.moveCursor(rows: -page)
        case .pageDown: schedule.moveCursor(rows: page)
        case .top: schedule.moveCursor(toSlot: 0)
        case .bottom: schedule.moveCursor(toSlot: schedule.slotCount - 1)
        case .today:
            schedule.go(to: now)
            schedule.cursor(at: now)
            return [.reload(.schedule)]
        case .nextDay, .previousDay:
            let step = (action == .nextDay ? 1 : -1) * (schedule.isWeek ? 7 : 1)
            schedule.go(to: schedule.day.adding(days: step))
            return [.reload(.schedule)]
        case .goToDate: overlay = .goToDate(TextField(limit: 20), error: nil)
        case .toggleWeek:
            schedule.toggleWeek()
            return [.reload(.schedule)]
        case .toggleColumns:
            if schedule.isWeek { schedule.toggleWeek() }
            schedule.columnsBy = schedule.columnsBy == .doctors ? .rooms : .doctors
            schedule.column = 0
            return [.reload(.schedule)]
        case .open:
            if schedule.moving != nil { return placeMovingAppointment() }
            if let appointment = schedule.selectedAppointment, !appointment.isBreak {
                return requireWrite {
                    $0.overlay = .statusPicker(appointment, selection: Self.statusIndex(appointment.status)); return []
                }
            }
            return scheduleAction(.book)
        case .book: return requireWrite { $0.bookAtCursor() }
        case .move:
            guard let appointment = schedule.selectedAppointment, !appointment.isBreak else {
                say("Put the cursor on an appointment to move it."); return []
            }
            return requireWrite {
                $0.schedule.moving = appointment
                $0.say(
                    "Moving \($0.schedule.data.patientName(appointment)): go to the new slot and press Enter (Esc to stop).", seconds: 30)
                return []
            }
        case .setStatus:
            guard let appointment = schedule.selectedAppointment, !appointment.isBreak else {
                say("Put the cursor on an appointment first."); return []
            }
            return requireWrite {
                $0.overlay = .statusPicker(appointment, selection: Self.statusIndex(appointment.status)); return []
            }
        case .checkIn:
            guard let appointment = schedule.selectedAppointment, !appointment.isBreak else {
                say("Put the cursor on an appointment to check the patient in."); return []
            }
            return requireWrite {
                [.queue(.setStatus(appointment: appointment.id, status: "Checked In", who: $0.schedule.data.patientName(appointment)))]
            }
        case .cancel:
            guard let appointment = schedule.selectedAppointment, !appointment.isBreak else {
                say("Put the cursor on an appointment to cancel it."); return []
            }
            return requireWrite {
                $0.overlay = .confirmCancel(appointment, name: $0.schedule.data.patientName(appointment)); return []
            }
        case .billing:
            guard let appointment = schedule.selectedAppointment, !appointment.isBreak else {
                say("Put the cursor on an appointment to see its billing."); return []
            }
            billing.day = schedule.selectedColumn?.day ?? schedule.day
            billing.wanted = appointment.id
            show(.billing)
            return [.reload(.billing)]
        case .chart:
            guard let patient = schedule.selectedAppointment?.patient else {
                say("Put the cursor on an appointment to open the patient's chart."); return []
            }
            return openChart(patient)
        default: break
        }
        return []
    }

    private mutating func bookAtCursor() -> [Effect] {
        guard let slot = schedule.selectedSlot else {
            say("There is no doctor or room to book with yet: wait for the first sync."); return []
        }
        if let appointment = schedule.selectedAppointment {
            say("\(slot.time.clock) is taken by \(schedule.data.patientName(appointment)): choose an empty slot.", error: true)
            return []
        }
        if let patient = schedule.bookingFor {
            schedule.bookingFor = nil
            openBookingForm(slot: slot, patient: patient)
            return []
        }
        search.pickingFor = slot
        search.editing = true
        search.query.text = ""
        show(.search)
        say("Booking \(slot.column.title) at \(slot.time.clock): type the patient's name, then Enter.", seconds: 30)
        return [.reload(.search)]
    }

    private mutating func openBookingForm(slot: BookingSlot, patient: PatientChoice) {
        let doctors = schedule.data.doctors
        let wantedDoctor = slot.column.doctor ?? patient.doctor
        var rooms: [BookingForm.Room] = []
        for office in schedule.data.offices {
            for room in office.examRooms {
                rooms.append(
                    .init(
                        office: office.id, room: room.index,
                        name: schedule.data.offices.count > 1 ? "\(office.name) · \(room.name)" : room.name))
            }
        }
        var roomIndex = 0
        if let office = slot.column.office, let room = slot.column.room {
            roomIndex = rooms.firstIndex { $0.office == office && $0.room == room } ?? 0
        } else {
            // The first room free at that time.
            let start = slot.time
            roomIndex =
                rooms.firstIndex { room in
                    !schedule.data.appointments.contains { other in
                        guard other.office == room.office, other.examRoom == room.room, let otherStart = other.scheduledTime,
                            other.status != "Cancelled"
                        else { return false }
                        return otherStart < start.adding(minutes: 30) && start < otherStart.adding(minutes: other.duration)
                    }
                } ?? 0
        }
        let form = BookingForm(
            patient: patient, time: slot.time, doctors: doctors,
            doctorIndex: doctors.firstIndex { $0.id == wantedDoctor } ?? 0, rooms: rooms, roomIndex: roomIndex)
        overlay = .booking(form)
        pane = .schedule
    }

    private mutating func placeMovingAppointment() -> [Effect] {
        guard let moving = schedule.moving, let slot = schedule.selectedSlot else { return [] }
        schedule.moving = nil
        if let other = schedule.selectedAppointment, other.id != moving.id, !other.allowOverlapping {
            say(
                "\(slot.time.clock) is taken by \(schedule.data.patientName(other)): \(schedule.data.patientName(moving)) stays where it was.",
                error: true)
            return []
        }
        return [.queue(.move(appointment: moving.id, to: slot, who: schedule.data.patientName(moving)))]
    }

    static func statusIndex(_ status: String) -> Int { AppointmentStatus.all.firstIndex { $0.name == status } ?? 0 }

    private mutating func requireWrite(_ kind: WorkArea = .schedule, _ body: (inout ConsoleModel) -> [Effect]) -> [Effect] {
        guard writes.contains(kind) else {
            let what = kind == .schedule ? "change the schedule" : "add charges"
            say(
                writes.isEmpty
                    ? "This profile is read-only (\(role.rawValue)): it can look but not book or bill. Set allow_writes in the profile to change that."
                    : "This profile (\(role.rawValue)) cannot \(what).", error: true)
            return []
        }
        return body(&self)
    }

    // MARK: Patient search

    /// Keys while typing a search; nil when the key is not for the field.
    private mutating func typeInSearch(_ key: Key) -> [Effect]? {
        switch key {
        case .escape:
            if search.pickingFor != nil { return goBack() }
            search.editing = false
            return []
        case .enter: return searchAction(.open)
        case .up: search.move(by: -1); return []
        case .down: search.move(by: 1); return []
        case .pageUp: search.move(by: -search.visibleRows); return []
        case .pageDown: search.move(by: search.visibleRows); return []
        case .tab, .backTab, .control("l"), .function: return nil
        default:
            let before = search.query.text
            guard search.query.handle(key) else { return [] }
            return search.query.text == before ? [] : [.reload(.search)]
        }
    }

    private mutating func searchAction(_ action: Action) -> [Effect] {
        switch action {
        case .up: search.move(by: -1)
        case .down: search.move(by: 1)
        case .pageUp: search.move(by: -search.visibleRows)
        case .pageDown: search.move(by: search.visibleRows)
        case .top: search.move(by: -search.results.count)
        case .bottom: search.move(by: search.results.count)
        case .open:
            guard let row = search.selectedRow else { return [] }
            if let slot = search.pickingFor {
                search.pickingFor = nil
                openBookingForm(slot: slot, patient: PatientChoice(id: row.patient.id, name: row.name, doctor: row.patient.doctor))
                return []
            }
            return openChart(row.patient.id)
        case .book:
            guard let row = search.selectedRow else { return [] }
            return requireWrite {
                $0.schedule.bookingFor = PatientChoice(id: row.patient.id, name: row.name, doctor: row.patient.doctor)
                $0.show(.schedule)
                $0.say("Booking \(row.name): go to an empty slot and press Enter (Esc to stop).", seconds: 30)
                return []
            }
        case .chart:
            guard let row = search.selectedRow else { return [] }
            return openChart(row.patient.id)
        default: break
        }
        return []
    }

    public mutating func openChart(_ patient: Int) -> [Effect] {
        chart.patientId = patient
        show(.notes)
        return [.reload(.chart), .fetchChart(patient: patient)]
    }

    // MARK: Notes

    private mutating func typeInFind(_ key: Key) -> [Effect] {
        guard var field = chart.finding else { return [] }
        switch key {
        case .escape: chart.finding = nil
        case .enter:
            chart.finding = nil
            chart.find(field.text)
            if let summary = chart.matchSummary { say(summary) }
        default:
            field.handle(key)
            chart.finding = field
        }
        return []
    }

    private mutating func notesAction(_ action: Action) -> [Effect] {
        let page = max(1, chart.visibleRows / 2)
        switch action {
        case .up: chart.move(by: -1)
        case .down: chart.move(by: 1)
        case .top: chart.move(by: -chart.rowCount)
        case .bottom: chart.move(by: chart.rowCount)
        case .pageUp: chart.scrollBody(by: -page)
        case .pageDown: chart.scrollBody(by: page)
        case .left, .previousSection: chart.switchSection(by: -1)
        case .right, .nextSection: chart.switchSection(by: 1)
        case .find:
            guard chart.selectedNote != nil else { say("Open a note first (Notes section, j/k to pick one)."); return [] }
            chart.finding = TextField(limit: 60)
        case .nextMatch: chart.nextMatch(1); if let summary = chart.matchSummary { say(summary) }
        case .previousMatch: chart.nextMatch(-1); if let summary = chart.matchSummary { say(summary) }
        default: break
        }
        return []
    }

    // MARK: Billing

    private mutating func billingAction(_ action: Action) -> [Effect] {
        switch action {
        case .up, .down, .pageUp, .pageDown, .top, .bottom:
            let before = billing.selectedVisit?.id
            let delta =
                switch action {
                case .up: -1
                case .down: 1
                case .pageUp: -billing.visibleRows
                case .pageDown: billing.visibleRows
                case .top: -billing.visits.count
                default: billing.visits.count
                }
            billing.move(by: delta)
            return billing.selectedVisit?.id == before ? [] : [.reload(.billing)]
        case .today, .nextDay, .previousDay:
            billing.day = action == .today ? now.startOfDay : billing.day.adding(days: action == .nextDay ? 1 : -1)
            billing.selected = 0
            return [.reload(.billing)]
        case .open, .addLineItem:
            guard let visit = billing.selectedVisit else {
                say("There are no visits on this day to bill: n and p change the day."); return []
            }
            return requireWrite(.billing) {
                $0.overlay = .charge(ChargeForm(appointment: visit.id, patientName: $0.billing.name(of: visit))); return []
            }
        case .chart:
            guard let patient = billing.selectedVisit?.patient else { return [] }
            return openChart(patient)
        default: return []
        }
    }

    // MARK: Overlays

    private mutating func pressInOverlay(_ key: Key) -> [Effect] {
        guard let current = overlay else { return [] }
        switch current {
        case .help:
            overlay = nil
        case .command(var line):
            switch key {
            case .escape: overlay = nil
            case .tab: line.complete(themes: themeNames); overlay = .command(line)
            case .enter:
                overlay = nil
                return run(line.field.text)
            default:
                line.field.handle(key)
                line.candidates = []
                line.error = nil
                overlay = .command(line)
            }
        case .goToDate(var field, _):
            switch key {
            case .escape: overlay = nil
            case .enter:
                do {
                    let day = try DateExpression(field.text).resolve(today: now)
                    overlay = nil
                    schedule.go(to: day)
                    return [.reload(.schedule)]
                } catch {
                    overlay = .goToDate(field, error: error.description)
                }
            default:
                field.handle(key)
                overlay = .goToDate(field, error: nil)
            }
        case .statusPicker(let appointment, var selection):
            let statuses = AppointmentStatus.all
            // The picker's moves are the key map's (rebindable); DrChrono's status
            // letters pick a status directly.
            switch (keyMap.action(for: key, within: .dialog), key) {
            case (.back?, _), (.quit?, _): overlay = nil
            case (.up?, _): selection = (selection + statuses.count - 1) % statuses.count
            case (.down?, _): selection = (selection + 1) % statuses.count
            case (.open?, _):
                overlay = nil
                return [
                    .queue(
                        .setStatus(
                            appointment: appointment.id, status: statuses[selection].name, who: schedule.data.patientName(appointment)))
                ]
            case (_, .character(let c)):
                if let index = statuses.firstIndex(where: { $0.letter == Character(c.uppercased()) }) {
                    overlay = nil
                    return [
                        .queue(
                            .setStatus(
                                appointment: appointment.id, status: statuses[index].name, who: schedule.data.patientName(appointment)))
                    ]
                }
            default: break
            }
            if overlay != nil { overlay = .statusPicker(appointment, selection: selection) }
        case .confirmCancel(let appointment, let name):
            switch keyMap.action(for: key, within: .dialog) {
            case .confirm?:
                overlay = nil
                return [.queue(.setStatus(appointment: appointment.id, status: "Cancelled", who: name))]
            case .decline?, .back?: overlay = nil
            default: break
            }
        case .confirmQuit:
            switch keyMap.action(for: key, within: .dialog) {
            case .confirm?:
                overlay = nil
                return [.quit]
            case .decline?, .back?: overlay = nil
            default: break
            }
        case .booking(var form):
            if key == .escape { overlay = nil; say("Nothing was booked."); return [] }
            let submitted = form.handle(key)
            overlay = .booking(form)
            if submitted { return [.checkBooking(form.draft)] }
        case .charge(var form):
            if key == .escape { overlay = nil; say("No line item was added."); return [] }
            let submitted = form.handle(key)
            if submitted {
                form.problems = form.entryProblems
                overlay = .charge(form)
                guard form.problems.isEmpty, let charge = form.charge else { return [] }
                // Checked here: a charge's check reads nothing but the charge.
                let problems = ChargeCheck.problems(charge)
                if !problems.isEmpty {
                    form.problems = problems
                    overlay = .charge(form)
                    say("The line item was not added: fix what is marked.", error: true)
                    return []
                }
                return [.queue(.charge(form))]
            } else {
                overlay = .charge(form)
            }
        }
        return []
    }

    /// Runs a `:` command.
    public mutating func run(_ text: String) -> [Effect] {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let name = trimmed.split(separator: " ", maxSplits: 1).first.map(String.init) ?? ""
        let argument = trimmed.split(separator: " ", maxSplits: 1).dropFirst().first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        switch name {
        case "": return []
        case "today": show(.schedule); return scheduleAction(.today)
        case "date", "goto", "go":
            do {
                schedule.go(to: try DateExpression(argument.isEmpty ? "T" : argument).resolve(today: now))
                show(.schedule)
                return [.reload(.schedule)]
            } catch {
                say(error.description, error: true)
                return []
            }
        case "week", "day":
            show(.schedule)
            return (name == "week") != schedule.isWeek ? scheduleAction(.toggleWeek) : []
        case "doctors", "rooms":
            show(.schedule)
            return (name == "rooms") != (schedule.columnsBy == .rooms) || schedule.isWeek ? scheduleAction(.toggleColumns) : []
        case "search":
            show(.search)
            search.editing = true
            search.query.text = argument
            return [.reload(.search)]
        case "schedule": return show(.schedule)
        case "notes", "chart": return show(.notes)
        case "billing": return show(.billing)
        case "patients": return show(.search)
        case "theme":
            guard !argument.isEmpty else { say("Which theme? \(themeNames.joined(separator: ", "))"); return [] }
            return [.useTheme(argument)]
        case "sync": return [.syncNow]
        case "help": overlay = .help; return []
        case "quit", "q": return globalAction(.quit) ?? []
        default:
            say("There is no command '\(name)': type : then Tab to see them.", error: true)
            return []
        }
    }
}

extension LocalDateTime {
    /// "10:30 am", as a front desk says it.
    public var clock: String {
        let h = hour % 12 == 0 ? 12 : hour % 12
        return "\(h):\(minute < 10 ? "0" : "")\(minute) \(hour < 12 ? "am" : "pm")"
    }
}
