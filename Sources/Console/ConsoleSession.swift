import CodeSets
import DrChronoAPI
import Foundation
import Mirror
import Practice

/// Performs a `ConsoleModel`'s effects and hands their results back to it: reads the
/// mirror for what the panes show, reads the facts a booking's check needs, queues
/// writes in the outbox, records audit entries, and notices when the mirror changed
/// underneath. It never changes what the console shows itself: only
/// `ConsoleModel.handle(_:)` does, with what comes back.
///
/// It lives on the thread that draws the screen. Mirror reads are local and indexed
/// (well under a millisecond for search), so they are made in line; nothing here waits
/// on the network — fetching and pushing are asked of the sync side through hooks.
public final class ConsoleSession {
    public internal(set) var model: ConsoleModel
    public let mirror: MirrorDatabase
    public let timeZone: TimeZone
    /// Asks the sync side to run a pass now.
    public var onSyncNow: () -> Void = {}
    /// Asks the sync side to fetch a chart a person just opened.
    public var onFetchChart: (Int) -> Void = { _ in }
    /// Asks the sync side to fetch a document and read it; the reading comes back
    /// through ``documentRead(_:)``.
    public var onOpenDocument: (Document) -> Void = { _ in }
    /// Tells the sync side a write was queued, so it pushes without waiting.
    public var onQueued: () -> Void = {}
    /// Switches the theme; answers a message when it cannot.
    public var onTheme: (String) -> String? = { _ in nil }
    /// Answers whether a passphrase typed at the lock is the profile's.
    public var onUnlock: (String) -> UnlockAnswer = { _ in .wrong }
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
    public func start() { perform(model.start()) }

    public func press(_ key: Key, at date: Date = Date()) { perform(model.press(key, at: date)) }

    /// The window changed size.
    public func resize(width: Int, height: Int) { perform(model.resize(width: width, height: height)) }

    /// News from the sync side for the status bar.
    public func receive(_ news: SyncNews) { perform(model.handle(.sync(news))) }

    /// A document asked for with ``onOpenDocument`` was fetched and read.
    public func documentRead(_ reading: DocumentReading) { perform(model.handle(.documentRead(reading))) }

    /// The person at this console is no longer one of the practice's people.
    public func personRemoved() { perform(model.handle(.personRemoved)) }

    /// Moves on each time the model may have changed (every change ends in
    /// ``perform(_:)``): the loop draws a frame only when it moved, or the second did.
    public private(set) var revision = 0

    public func perform(_ effects: [Effect]) {
        revision &+= 1
        for effect in effects {
            switch effect {
            case .reload(let dataset): reload(dataset)
            case .checkBooking(let draft):
                do {
                    let facts = try mirror.read { db in try MirrorQueries.bookingFacts(db, for: draft.booking) }
                    perform(model.handle(.bookingFacts(draft, facts)))
                } catch {
                    perform(model.handle(.readFailed(MirrorProblem(error, path: mirror.path).banner)))
                }
            case .checkPatient(let draft):
                do {
                    let found = try mirror.read { db in
                        draft.dateOfBirth.isEmpty
                            ? [] : try MirrorQueries.patients(named: draft.firstName, draft.lastName, born: draft.dateOfBirth, in: db)
                    }
                    perform(model.handle(.patientFacts(draft, duplicates: found)))
                } catch {
                    perform(model.handle(.readFailed(MirrorProblem(error, path: mirror.path).banner)))
                }
            case .lookUpDiagnoses(let text): perform(model.handle(.diagnosesLookedUp(Self.lookUp(diagnoses: text))))
            case .completePath(let typed):
                perform(model.handle(.pathCompletions(typed, Self.completions(of: typed, in: model.folders.inbox))))
            case .attach(let draft): attach(draft)
            case .findSlots(let request):
                do {
                    let now = model.now
                    let slots = try mirror.read { db in try SlotFinder.find(request, now: now, in: db) }
                    perform(model.handle(.slotsFound(slots)))
                } catch {
                    perform(model.handle(.readFailed(MirrorProblem(error, path: mirror.path).banner)))
                }
            case .openPatientChange(let id):
                do {
                    let record = try mirror.read { db in
                        try MirrorQueries.patientRecord(db, id: try Outbox.currentPatientId(of: id, in: db))
                    }
                    perform(model.handle(.patientToChange(record)))
                } catch {
                    perform(model.handle(.readFailed(MirrorProblem(error, path: mirror.path).banner)))
                }
            case .queue(let write): queue(write)
            case .pushQueue: onQueued()
            case .audit(let events):
                do {
                    try mirror.write { db in for event in events { try AuditTrail.record(event, in: db) } }
                } catch {
                    perform(model.handle(.auditFailed(MirrorProblem(error, path: mirror.path).banner)))
                }
            case .fetchChart(let patient):
                // A patient registered here is not at DrChrono yet: nothing to fetch.
                if patient > 0 { onFetchChart(patient) }
            case .openDocument(let document): onOpenDocument(document)
            case .saveDocument(let from, let to): perform(model.handle(Self.save(from: from, to: to, in: model.folders.documents)))
            case .quit: quitRequested = true
            case .redraw: redrawRequested = true
            case .useTheme(let name): perform(model.handle(.theme(name, problem: onTheme(name))))
            case .syncNow: onSyncNow()
            case .unlock(let passphrase): perform(model.handle(.unlock(onUnlock(passphrase))))
            }
        }
    }

    /// Time passes: messages expire, an idle screen locks, and the panes are read again
    /// if the mirror moved.
    public func tick(clock: Date = Date()) {
        let before = (model.message, model.locked)
        let effects = model.tick(clock: clock, now: LocalDateTime(clock, in: timeZone))
        // The clock alone moves no revision: the loop redraws the status bar each second.
        if !effects.isEmpty || model.message != before.0 || model.locked != before.1 { perform(effects) }
        if watch.changed() { perform(Dataset.allCases.map { .reload($0) }) }
    }

    // MARK: Reading

    /// Reads `dataset` for the model's current view (its day, query, patient, visit)
    /// and hands the rows back.
    public func reload(_ dataset: Dataset) {
        // A biller at work: the code list is read (once per process) before the first
        // diagnosis is typed, off this thread.
        if dataset == .billing { DispatchQueue.global(qos: .utility).async { _ = try? DiagnosisCodeList.shipped() } }
        do {
            if let loaded = try read(dataset) { perform(model.handle(.loaded(loaded))) }
        } catch {
            perform(model.handle(.readFailed(MirrorProblem(error, path: mirror.path).banner)))
        }
    }

    private func read(_ dataset: Dataset) throws -> Loaded? {
        switch dataset {
        case .schedule:
            let range = model.schedule.range
            let doctors = model.schedule.doctorsToRead
            return .schedule(
                try mirror.read { db -> ScheduleData in
                    let appointments =
                        range.from == range.to
                        ? try MirrorQueries.daySchedule(db, day: range.from.dateString, doctors: doctors)
                        : try MirrorQueries.schedule(db, from: range.from.dateString, to: range.to.dateString, doctor: range.doctor)
                    var data = ScheduleData(
                        doctors: try MirrorQueries.doctors(db), offices: try MirrorQueries.offices(db), appointments: appointments,
                        patientNames: try MirrorQueries.patientNames(db, ids: appointments.compactMap(\.patient)),
                        marks: try MirrorQueries.outboxMarks(db), readDoctors: range.from == range.to ? doctors : nil,
                        visitTypes: try MirrorQueries.visitTypes(db))
                    data.copays = try MirrorQueries.copays(db, patients: appointments.compactMap(\.patient))
                    data.paid = try MirrorQueries.paid(db, appointments: appointments.map(\.id))
                    data.eligibility = try MirrorQueries.eligibility(db, appointments: appointments.map(\.id))
                    return data
                })
        case .search:
            let query = model.search.query.text
            let after = model.now
            let rows = try mirror.read { db -> [PatientRow] in
                let patients = try MirrorQueries.searchPatients(db, query, limit: 50)
                let next = try MirrorQueries.nextAppointments(db, patients: patients.map(\.id), after: after)
                return patients.map { PatientRow(patient: $0, next: next[$0.id]) }
            }
            return .search(rows, query: query)
        case .chart:
            guard let opened = model.chart.patientId else { return nil }
            return .chart(
                try mirror.read { db -> ChartData? in
                    // Registered here and confirmed since: the chart is DrChrono's id now.
                    let id = try Outbox.currentPatientId(of: opened, in: db)
                    guard let patient = try MirrorQueries.patient(db, id: id) else { return nil }
                    let chart = try MirrorQueries.chart(db, patient: id)
                    let fields = chart.notes.flatMap { $0.sections.flatMap { $0.values.compactMap(\.field) } }
                    let visits = try MirrorQueries.appointmentTimes(db, ids: chart.notes.compactMap(\.appointment))
                    var chartData = ChartData(
                        patient: patient,
                        notes: chart.notes.sorted {
                            (visits[$0.appointment ?? ""] ?? .distantPast) > (visits[$1.appointment ?? ""] ?? .distantPast)
                        },
                        problems: chart.problems, medications: chart.medications, allergies: chart.allergies, documents: chart.documents,
                        fieldNames: try MirrorQueries.noteFieldNames(db, ids: fields), visitTimes: visits)
                    chartData.eligibility = try MirrorQueries.latestEligibility(db, patient: id)
                    chartData.labs = try MirrorQueries.labResults(db, patient: id)
                    chartData.vitals = try MirrorQueries.vitals(db, patient: id)
                    return chartData
                })
        case .billing:
            let day = model.billing.day.dateString
            return try mirror.read { db in
                let visits = try MirrorQueries.daySchedule(db, day: day)
                return .billingDay(
                    visits: visits, names: try MirrorQueries.patientNames(db, ids: visits.compactMap(\.patient)),
                    doctors: try MirrorQueries.doctors(db), statuses: try MirrorQueries.billingStatuses(db, appointments: visits.map(\.id)))
            }
        case .lineItems:
            guard let visit = model.billing.selectedVisit else {
                return .lineItems([], prices: [:], descriptions: [:], profiles: [], balance: nil)
            }
            return try mirror.read { db in
                // The visit's doctor's fee schedule, at the patient's payer's price.
                let payer = try visit.patient.flatMap { try MirrorQueries.payerId(db, patient: $0) }
                let prices = try visit.doctor.map { try MirrorQueries.feePrices(db, doctor: $0, payer: payer) } ?? [:]
                return .lineItems(
                    try MirrorQueries.lineItems(db, appointment: visit.id), prices: prices,
                    descriptions: try visit.doctor.map { try MirrorQueries.feeDescriptions(db, doctor: $0) } ?? [:],
                    profiles: try MirrorQueries.billingProfiles(db),
                    balance: try visit.patient.map { try MirrorQueries.patientBalance(db, patient: $0) })
            }
        case .confirmList:
            guard case .confirmList(let list) = model.overlay else { return nil }
            return .confirmList(
                try mirror.read { db -> [ConfirmList.Row] in
                    let visits = try MirrorQueries.daySchedule(db, day: list.day.dateString).filter {
                        !$0.isBreak && $0.patient != nil && $0.holdsTime
                    }
                    let patients = visits.compactMap(\.patient)
                    let names = try MirrorQueries.patientNames(db, ids: patients)
                    let phones = try MirrorQueries.phones(db, patients: patients)
                    let checks = try MirrorQueries.eligibility(db, appointments: visits.map(\.id))
                    let doctors = Dictionary(try MirrorQueries.doctors(db).map { ($0.id, "Dr. \($0.lastName)") }) { a, _ in a }
                    return visits.map { visit in
                        ConfirmList.Row(
                            appointment: visit, patientName: visit.patient.flatMap { names[$0] } ?? "Patient \(visit.patient ?? 0)",
                            doctorName: visit.doctor.flatMap { doctors[$0] } ?? "", phones: visit.patient.flatMap { phones[$0] } ?? [],
                            eligibility: checks[visit.id])
                    }
                })
        case .myDay:
            guard case .myDay(let list) = model.overlay else { return nil }
            let zone = timeZone
            return .myDay(try mirror.read { db in try MirrorQueries.myDay(db, day: list.day, doctors: list.doctors, zone: zone) })
        case .dayTotals:
            guard case .dayTotals(let list) = model.overlay else { return nil }
            return .dayTotals(try mirror.read { db in try MirrorQueries.dayTotals(db, day: list.day.dateString) })
        case .collections:
            guard case .collections(let list) = model.overlay else { return nil }
            return .collections(try mirror.read { db in try MirrorQueries.collections(db, day: list.day.dateString) })
        case .payers:
            guard case .patient = model.overlay else { return nil }
            return .payers(try mirror.read { db in try MirrorQueries.payers(db) })
        case .queue:
            let (queued, needsAttention) = try mirror.read { db in (try Outbox.count(db), try Outbox.needingAttention(db)) }
            return .queue(queued: queued, needsAttention: needsAttention)
        }
    }

    // MARK: Writing

    /// The practice's jobs, done for the person at this console.
    var desk: Desk {
        Desk(mirror: mirror, actor: Actor(name: model.person, role: model.role, writes: model.writes), now: model.now)
    }

    /// Asks the practice to do a write the model checked: it checks again against the
    /// mirror in the transaction that queues it, so what another person changed
    /// meanwhile (a slot taken, a charge voided) refuses it rather than slipping by.
    private func queue(_ write: ConsoleWrite) {
        let desk = self.desk
        let outcome: Outcome<Void>
        do {
            switch write {
            case .book(let draft):
                // The model showed its warnings and the person pressed Enter again.
                outcome = try desk.book(draft.booking, confirmed: true).map { _ in () }
            case .setStatus(let id, let status, _): outcome = try desk.setStatus(status, of: id)
            case .move(let id, let slot, _):
                outcome = try desk.move(id, to: slot.time, examRoom: slot.column.room, doctor: slot.column.doctor)
            case .charge(let form):
                guard let charge = form.charge else { return }
                outcome = try desk.addCharge(charge, to: form.appointment).map { _ in () }
            case .registerPatient(let draft): outcome = try desk.register(PatientFields(draft.fields)).map { _ in () }
            case .attach:
                // Read and queued by attach(_:), which reads the file first.
                return
            case .fixCharge(let id, let changes, _): outcome = try desk.fixCharge(id, changes)
            case .billingStatus(let id, let status, _): outcome = try desk.setClaimStatus(status, of: id)
            case .applyProfile(let id, _, let charges, _):
                let made = charges.map {
                    Outbox.Charge(code: $0.code, procedureType: $0.type, diagnosisPointers: $0.diagnoses, priceCents: $0.priceCents)
                }
                outcome = try desk.addCharges(made, to: id).map { _ in () }
            case .claimNote(let id, let text, _): outcome = try desk.noteClaim(text, on: id)
            case .voidCharge(let id, _): outcome = try desk.voidCharge(id)
            case .leaveMessage(let id, let notes, _): outcome = try desk.setNotes(notes, of: id)
            case .payment(let form):
                if var payment = form.payment {
                    payment.takenBy = model.person ?? (model.status.user.isEmpty ? nil : model.status.user)
                    outcome = try desk.takePayment(payment, checkingIn: form.checkIn && form.appointment != nil).map { _ in () }
                } else if form.checkIn, let visit = form.appointment {
                    outcome = try desk.setStatus("Checked In", of: visit)
                } else {
                    return
                }
            case .changePatient(let draft):
                guard case .change(let id, _) = draft.purpose else { return }
                outcome = try desk.changePatient(id, PatientFields(draft.fields))
            }
        } catch {
            notQueued(error)
            return
        }
        switch outcome {
        case .queued: perform(model.handle(.queued(write)))
        case .refused(let refusal): perform(model.handle(.notQueued(Self.clause(refusal.reason))))
        case .needsConfirmation(let warnings):
            perform(model.handle(.notQueued(Self.clause(warnings.first?.message ?? "it needs a second look"))))
        }
    }

    /// A sentence as a clause of "Nothing was queued: …." (its own full stop dropped).
    static func clause(_ sentence: String) -> String { sentence.hasSuffix(".") ? String(sentence.dropLast()) : sentence }

    /// The mirror could not take a write, in a few words.
    func notQueued(_ error: any Error) {
        let why = MirrorProblem(error, path: mirror.path)
        perform(model.handle(.notQueued(why.kind == .diskFull ? "the disk is full — free some space, then try again" : why.banner)))
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
