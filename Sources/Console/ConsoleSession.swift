import DrChronoAPI
import Foundation
import Mirror

/// Performs a `ConsoleModel`'s effects: reads the mirror for what the panes show, checks
/// and queues writes in the outbox, and notices when the mirror changed underneath.
///
/// It lives on the thread that draws the screen. Mirror reads are local and indexed
/// (well under a millisecond for search), so they are made in line; nothing here waits
/// on the network — fetching and pushing are asked of the sync side through hooks.
public final class ConsoleSession {
    public var model: ConsoleModel
    public let mirror: MirrorDatabase
    public let timeZone: TimeZone
    /// Asks the sync side to run a pass now.
    public var onSyncNow: () -> Void = {}
    /// Asks the sync side to fetch a chart a person just opened.
    public var onFetchChart: (Int) -> Void = { _ in }
    /// Tells the sync side a write was queued, so it pushes without waiting.
    public var onQueued: () -> Void = {}
    /// Switches the theme; answers a message when it cannot.
    public var onTheme: (String) -> String? = { _ in nil }
    /// Answers whether a passphrase typed at the lock is the profile's.
    public var onUnlock: (String) -> UnlockAnswer = { _ in .wrong }
    /// Lock after this long without a key (nil: never).
    public var lockAfter: TimeInterval?
    private var lastKey = Date()
    public private(set) var quitRequested = false
    /// Set when the screen must be drawn anew from nothing (Ctrl-L).
    public var redrawRequested = false

    /// Hears when any other connection — this process's sync or another chronoterm's —
    /// commits to the mirror.
    private let watch: MirrorWatch

    public init(model: ConsoleModel, mirror: MirrorDatabase, timeZone: TimeZone) throws {
        self.model = model
        self.mirror = mirror
        self.timeZone = timeZone
        watch = try MirrorWatch(mirror)
    }

    /// Reads everything the panes show.
    public func start() {
        for dataset in Dataset.allCases { reload(dataset) }
        if model.schedule.day == model.now.startOfDay { model.schedule.cursor(at: model.now) }
        refreshCounts()
        auditOpenings()
    }

    public func press(_ key: Key, at date: Date = Date()) {
        lastKey = date
        perform(model.press(key))
        auditOpenings()
    }

    /// What was last recorded as open, so each opening is recorded once.
    private var opened: (patient: Int?, note: Int?, visit: String?) = (nil, nil, nil)

    /// The audit trail hears of every chart, note and visit's billing a person opens.
    private func auditOpenings() {
        var events: [AuditTrail.Event] = []
        if model.pane == .notes, let patient = model.chart.patientId {
            if patient != opened.patient { events.append(.init("chart.open", patient: patient)); opened.note = nil }
            if let note = model.chart.selectedNote?.id, note != opened.note {
                events.append(.init("note.open", patient: patient, reference: "clinical note \(note)"))
            }
            opened.patient = patient
            opened.note = model.chart.selectedNote?.id
        }
        if model.pane == .billing, let visit = model.billing.selectedVisit, visit.id != opened.visit {
            events.append(.init("billing.open", patient: visit.patient, appointment: visit.id))
            opened.visit = visit.id
        }
        guard !events.isEmpty else { return }
        do {
            try mirror.write { db in for event in events { try AuditTrail.record(event, in: db) } }
        } catch {
            model.say("The audit trail could not be written: \(MirrorProblem(error, path: mirror.path).banner).", error: true)
        }
    }

    public func perform(_ effects: [Effect]) {
        for effect in effects {
            switch effect {
            case .reload(let dataset): reload(dataset)
            case .queue(let write): queue(write)
            case .fetchChart(let patient): onFetchChart(patient)
            case .quit: quitRequested = true
            case .redraw: redrawRequested = true
            case .useTheme(let name):
                if let problem = onTheme(name) { model.say(problem, error: true) } else { model.say("Theme \(name).") }
            case .syncNow:
                onSyncNow()
                model.say("Syncing with DrChrono…")
            case .unlock(let passphrase):
                switch onUnlock(passphrase) {
                case .unlocked:
                    model.locked = false
                    model.unlockError = nil
                    try? mirror.write { db in try AuditTrail.record(.init("unlock"), in: db) }
                case .wrong: model.unlockError = "That is not this profile's passphrase."
                case .quit: quitRequested = true
                }
            }
        }
    }

    /// Time passes: messages expire, an idle screen locks, and the panes are read again
    /// if the mirror moved.
    public func tick(clock: Date = Date()) {
        model.tick(clock: clock, now: LocalDateTime(clock, in: timeZone))
        if let lockAfter, !model.locked, clock.timeIntervalSince(lastKey) >= lockAfter {
            model.lock()
            try? mirror.write { db in try AuditTrail.record(.init("lock", outcome: "idle \(Int(lockAfter)) s"), in: db) }
        }
        if watch.changed() {
            for dataset in Dataset.allCases { reload(dataset) }
            refreshCounts()
        }
    }

    // MARK: Reading

    public func reload(_ dataset: Dataset) {
        do {
            switch dataset {
            case .schedule: try reloadSchedule()
            case .search: try reloadSearch()
            case .chart: try reloadChart()
            case .billing: try reloadBilling()
            }
        } catch {
            model.say("The local copy could not be read: \(error.localizedDescription). Try chronoterm sync.", error: true)
        }
    }

    private func reloadSchedule() throws {
        let range = model.schedule.range
        let data = try mirror.read { db -> ScheduleData in
            let appointments =
                range.from == range.to
                ? try MirrorQueries.daySchedule(db, day: range.from.dateString)
                : try MirrorQueries.schedule(db, from: range.from.dateString, to: range.to.dateString, doctor: range.doctor)
            return ScheduleData(
                doctors: try MirrorQueries.doctors(db), offices: try MirrorQueries.offices(db), appointments: appointments,
                patientNames: try MirrorQueries.patientNames(db, ids: appointments.compactMap(\.patient)),
                marks: try MirrorQueries.outboxMarks(db))
        }
        model.schedule.show(data)
    }

    private func reloadSearch() throws {
        let query = model.search.query.text
        let after = model.now
        let rows = try mirror.read { db -> [PatientRow] in
            let patients = try MirrorQueries.searchPatients(db, query, limit: 50)
            let next = try MirrorQueries.nextAppointments(db, patients: patients.map(\.id), after: after)
            return patients.map { PatientRow(patient: $0, next: next[$0.id]) }
        }
        model.search.show(rows, for: query)
    }

    private func reloadChart() throws {
        guard let id = model.chart.patientId else { return }
        let data = try mirror.read { db -> ChartData? in
            guard let patient = try MirrorQueries.patient(db, id: id) else { return nil }
            let chart = try MirrorQueries.chart(db, patient: id)
            let fields = chart.notes.flatMap { $0.sections.flatMap { $0.values.compactMap(\.field) } }
            let visits = try MirrorQueries.appointmentTimes(db, ids: chart.notes.compactMap(\.appointment))
            return ChartData(
                patient: patient,
                notes: chart.notes.sorted {
                    (visits[$0.appointment ?? ""] ?? .distantPast) > (visits[$1.appointment ?? ""] ?? .distantPast)
                },
                problems: chart.problems, medications: chart.medications, allergies: chart.allergies, documents: chart.documents,
                fieldNames: try MirrorQueries.noteFieldNames(db, ids: fields), visitTimes: visits)
        }
        model.chart.show(data)
    }

    private func reloadBilling() throws {
        let day = model.billing.day.dateString
        let (visits, names, doctors) = try mirror.read { db in
            let visits = try MirrorQueries.daySchedule(db, day: day)
            return (visits, try MirrorQueries.patientNames(db, ids: visits.compactMap(\.patient)), try MirrorQueries.doctors(db))
        }
        model.billing.show(visits: visits, names: names, doctors: doctors)
        let selected = model.billing.selectedVisit?.id
        let items = try selected.map { id in try mirror.read { db in try MirrorQueries.lineItems(db, appointment: id) } } ?? []
        model.billing.show(lineItems: items)
    }

    public func refreshCounts() {
        if let counts = try? mirror.read({ db in
            (try Outbox.count(db), try Outbox.needingAttention(db))
        }) {
            (model.status.queued, model.status.needsAttention) = counts
        }
    }

    // MARK: Writing

    private func queue(_ write: ConsoleWrite) {
        let now = model.now
        do {
            switch write {
            case .book(let draft):
                guard case .booking(var form) = model.overlay else { return }
                let facts = try mirror.read { db in try MirrorQueries.bookingFacts(db, for: draft.booking) }
                let problems = BookingCheck.problems(draft.booking, facts: facts, now: now)
                let errors = problems.filter { $0.severity == .error }
                if !errors.isEmpty || (!problems.isEmpty && !form.warningsSeen) {
                    form.problems = problems
                    form.warningsSeen = errors.isEmpty
                    model.overlay = .booking(form)
                    model.say(
                        errors.isEmpty ? "Press Enter again to book anyway, or Esc." : "Nothing was booked yet: fix what is marked.",
                        error: !errors.isEmpty)
                    return
                }
                _ = try mirror.write { db in try Outbox.book(draft.booking, in: db, now: now) }
                model.overlay = nil
                let doctor = form.doctor.map { "Dr. \($0.lastName)" } ?? "the doctor"
                model.say(
                    "Booked \(form.patient.name) with \(doctor) at \(draft.time.clock) on \(draft.time.month)/\(draft.time.day) — queued for DrChrono."
                )
            case .setStatus(let id, let status, let who):
                try mirror.write { db in try Outbox.setStatus(status, appointment: id, in: db, now: now) }
                model.say("\(who): \(AppointmentStatus.named(status).label) — queued for DrChrono.")
            case .move(let id, let slot, let who):
                try mirror.write { db in
                    try Outbox.reschedule(
                        appointment: id, to: slot.time, examRoom: slot.column.room, doctor: slot.column.doctor, in: db, now: now)
                }
                model.say("Moved \(who) to \(slot.time.clock) on \(slot.time.month)/\(slot.time.day) — queued for DrChrono.")
            case .charge(var form):
                guard let charge = form.charge else { return }
                let problems = ChargeCheck.problems(charge)
                if !problems.isEmpty {
                    form.problems = problems
                    model.overlay = .charge(form)
                    model.say("The line item was not added: fix what is marked.", error: true)
                    return
                }
                _ = try mirror.write { db in try Outbox.charge(charge, appointment: form.appointment, in: db, now: now) }
                model.overlay = nil
                model.say(
                    "Added \(charge.code) (\(BillingModel.money(Int((Double(charge.priceCents) * charge.quantity).rounded())))) for \(form.patientName) — queued for DrChrono."
                )
            }
        } catch {
            let why = MirrorProblem(error, path: mirror.path)
            model.say(
                "Nothing was queued: \(why.kind == .diskFull ? "the disk is full — free some space, then try again" : why.banner).",
                error: true)
            return
        }
        reload(.schedule)
        reload(.billing)
        refreshCounts()
        onQueued()
    }
}

/// What the lock hears back about a passphrase.
public enum UnlockAnswer: Sendable {
    case unlocked, wrong
    /// The profile has no passphrase (a key file seals it): the only way out is to quit.
    case quit
}

extension LocalDateTime {
    static let distantPast = LocalDateTime(year: 1, month: 1, day: 1)
}
