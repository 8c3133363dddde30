import DrChronoAPI
import Foundation
import Mirror
import Practice

/// Results of effects coming back: what was read, checked and queued.
extension ConsoleModel {
    // MARK: Results

    /// An effect's result comes back: the only way, with keys, that what the console
    /// shows changes.
    public mutating func handle(_ result: EffectResult) -> [Effect] {
        var effects: [Effect] = []
        switch result {
        case .loaded(let loaded): effects = show(loaded)
        case .bookingFacts(let draft, let facts): effects = check(draft, facts: facts)
        case .patientFacts(let draft, let duplicates): effects = check(draft, duplicates: duplicates)
        case .patientToChange(let record): effects = openPatientChange(record)
        case .diagnosesLookedUp(let lookup):
            if case .charge(var form) = overlay, form.diagnoses.text == lookup.text {
                form.lookup = lookup
                overlay = .charge(form)
            }
        case .pathCompletions(let typed, let entries):
            if case .attach(var form) = overlay {
                form.complete(typed, with: entries)
                overlay = .attach(form)
            }
        case .attachProblems(let problems):
            if case .attach(var form) = overlay {
                form.problems = problems
                overlay = .attach(form)
                say("Nothing was attached: fix what is marked.", error: true)
            }
        case .slotsFound(let slots):
            if case .findSlot(var form) = overlay {
                form.results = slots
                form.selected = 0
                form.field = slots.isEmpty ? form.field : .results
                form.error = slots.isEmpty ? "No free slot in the next 60 days for that: try another doctor, office or time of day." : nil
                overlay = .findSlot(form)
            }
        case .queued(let write): effects = queued(write)
        case .notQueued(let why): say("Nothing was queued: \(why).", error: true)
        case .unlock(let answer):
            switch answer {
            case .unlocked:
                locked = false
                unlockError = nil
                (unlockFailures, unlockWaitUntil) = (0, nil)
                effects = [.audit([AuditTrail.Event(.unlock)])]
            case .wrong:
                unlockFailures += 1
                unlockWaitUntil = latest.addingTimeInterval(min(60, pow(2, Double(unlockFailures - 1))))
                unlockError = person.map { "That is not \($0)'s lock passphrase." } ?? "That is not this profile's passphrase."
                // Each wrong try is on the record: a run of them is someone guessing.
                effects = [.audit([AuditTrail.Event(.unlockFailed, outcome: "try \(unlockFailures)")])]
            case .quit: effects = [.quit]
            }
        case .theme(let name, let problem):
            if let problem { say(problem, error: true) } else { say("Theme \(name).") }
        case .readFailed(let why): say("The local copy could not be read: \(why). Try chronoterm sync.", error: true)
        case .auditFailed(let why): say("The audit trail could not be written: \(why).", error: true)
        case .documentRead(let reading):
            // Shown only if the person is still on that chart's documents and nothing else is open.
            guard overlay == nil, pane == .notes, chart.section == .documents else { return [] }
            if let problem = reading.problem { say(problem, error: true); return [] }
            overlay = .document(DocumentView(reading: reading))
            // "Fetching … from DrChrono" is done with.
            message = nil
        case .documentSaved(let path, let problem):
            if let problem { say(problem, error: true) } else { say("Saved to \(path).") }
        case .personRemoved: return [.audit([AuditTrail.Event(.sessionRevoked)]), .quit]
        case .syncUpdate(let update): apply(update)
        case .sync(let news):
            status.user = news.user
            status.sync = news.sync
            status.lastSync = news.lastSync
            status.budgetLeft = news.budgetLeft
            status.budgetHourly = news.budgetHourly
            status.scheduleAsOf = news.scheduleAsOf
        }
        return effects + settle()
    }

    mutating func show(_ loaded: Loaded) -> [Effect] {
        switch loaded {
        case .schedule(let data):
            if !schedule.show(data), !placeCursorAtNow {
                changedNothing = true
                return []
            }
            if placeCursorAtNow {
                placeCursorAtNow = false
                if schedule.day == now.startOfDay { schedule.cursor(at: now) }
            }
        case .search(let rows, let query): search.show(rows, for: query)
        case .chart(let data): chart.show(data)
        case .billingDay(let visits, let names, let doctors, let statuses):
            billing.show(visits: visits, names: names, doctors: doctors)
            billing.billingStatuses = statuses
            return [.reload(.lineItems)]
        case .lineItems(let bill):
            billing.show(lineItems: bill.items)
            billing.codeDescriptions = bill.descriptions
            billing.accountBalance = bill.balance
            billing.prices = bill.prices
            billing.profiles = bill.profiles
            billing.claimNotes = bill.claimNotes
        case .queue(let queued, let needsAttention):
            changedNothing = (status.queued, status.needsAttention) == (queued, needsAttention)
            (status.queued, status.needsAttention) = (queued, needsAttention)
        case .confirmList(let rows):
            if case .confirmList(var list) = overlay {
                list.all = rows
                if list.selected >= list.rows.count { list.selected = max(0, list.rows.count - 1) }
                overlay = .confirmList(list)
            }
        case .myDay(let rows):
            if case .myDay(var list) = overlay {
                list.rows = rows
                list.selected = min(list.selected, max(0, rows.count - 1))
                overlay = .myDay(list)
            }
        case .dayTotals(let rows):
            if case .dayTotals(var list) = overlay {
                list.rows = rows
                overlay = .dayTotals(list)
            }
        case .collections(let rows):
            if case .collections(var list) = overlay {
                list.rows = rows
                overlay = .collections(list)
            }
        case .payers(let payers):
            if case .patient(var form) = overlay {
                form.payers = payers
                overlay = .patient(form)
            }
        }
        return []
    }

    /// A submitted booking against the mirror's facts: queued, or its problems shown
    /// (warnings need a second Enter).
    mutating func check(_ draft: BookingDraft, facts: BookingFacts) -> [Effect] {
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
        return [queue(.book(draft))]
    }

    /// A write reached the queue: say so, close its form, show it.
    mutating func queued(_ write: ConsoleWrite) -> [Effect] {
        switch write {
        case .book(let draft):
            let form: BookingForm? = if case .booking(let form) = overlay { form } else { nil }
            overlay = nil
            let doctor = form?.doctor.map(\.displayName) ?? "the doctor"
            say(
                "Booked \(form?.patient.name ?? "the patient") with \(doctor) at \(draft.time.clock) on \(draft.time.month)/\(draft.time.day) — queued for DrChrono."
            )
        case .setStatus(_, let status, let who):
            say("\(who): \(status.label) — queued for DrChrono.")
        case .move(_, let slot, let who):
            say("Moved \(who) to \(slot.time.clock) on \(slot.time.month)/\(slot.time.day) — queued for DrChrono.")
        case .charge(let form):
            overlay = nil
            if let charge = form.charge {
                say(
                    "Added \(charge.code) (\(BillingModel.money(Money.line(priceCents: charge.priceCents, quantity: charge.quantity)))) for \(form.patientName) — queued for DrChrono."
                )
            }
        case .registerPatient(let draft):
            overlay = nil
            // The new patient is found at once, ready to book (b) or open (Enter).
            search.query.text = draft.name
            search.editing = false
            show(.search)
            say("Registered \(draft.name) — queued for DrChrono. Press b to book them, e to change.", seconds: 15)
        case .changePatient(let draft):
            overlay = nil
            say("Changed \(draft.name) — queued for DrChrono.")
        case .fixCharge(_, _, let summary):
            overlay = nil
            say("Corrected to \(summary) — queued for DrChrono.")
        case .billingStatus(_, let status, let who):
            say("\(who): \(status.rawValue) — queued for DrChrono.")
        case .applyProfile(_, let profile, let charges, let who):
            let total = BillingModel.money(charges.reduce(0) { $0 + $1.priceCents })
            say("Added \(profile) for \(who): \(charges.map(\.code).joined(separator: ", ")), \(total) — queued for DrChrono.")
        case .claimNote(_, _, let who):
            say("Noted on \(who)'s claim — queued for DrChrono.")
        case .voidCharge(_, let summary):
            say("Voided \(summary) — queued for DrChrono.")
        case .attach(let draft):
            overlay = nil
            say("Attached \(draft.description) to \(draft.patientName)'s chart — queued for DrChrono.")
        case .leaveMessage(_, _, let who):
            say("\(who): left a message, noted on the visit — queued for DrChrono.")
        case .payment(let form):
            overlay = nil
            let taken = form.payment.map { "\(BillingModel.money($0.amountCents)) \(PaymentForm.methods[form.method].label.lowercased())" }
            if form.checkIn {
                let copay = form.copayCents == nil ? "" : taken.map { ", copay \($0) taken" } ?? ", copay not taken"
                say("\(form.patientName): Checked In\(copay) — queued for DrChrono.")
            } else {
                say("Took \(taken ?? "nothing") from \(form.patientName) — queued for DrChrono.")
            }
        }
        // What it changed is read again once, when the runtime says the mirror moved.
        return [.pushQueue]
    }

    /// After every key and result: panes fitted to the window, and what was opened
    /// recorded in the audit trail.
    mutating func settle() -> [Effect] {
        if let size { fit(width: size.width, height: size.height) }
        return openings()
    }

    /// The audit trail hears of every chart, note and visit's billing a person opens.
    mutating func openings() -> [Effect] {
        var events: [AuditTrail.Event] = []
        if pane == .notes, let patient = chart.patientId {
            if patient != opened.patient {
                events.append(AuditTrail.Event(.chartOpen, patient: patient))
                opened.note = nil
            }
            if let note = chart.selectedNote?.id, note != opened.note {
                events.append(AuditTrail.Event(.noteOpen, patient: patient, reference: "clinical note \(note)"))
            }
            opened.patient = patient
            opened.note = chart.selectedNote?.id
        }
        if pane == .billing, let visit = billing.selectedVisit, visit.id != opened.visit {
            events.append(AuditTrail.Event(.billingOpen, patient: visit.patient, appointment: visit.id))
            opened.visit = visit.id
        }
        var effects: [Effect] = events.isEmpty ? [] : [.audit(events)]
        if pane == .billing, !codeListAsked {
            codeListAsked = true
            effects.append(.prepareCodeList)
        }
        return effects
    }

    /// `:sync`: one at a time, and not again while the copy is fresh — the practice's
    /// hour of requests is everyone's, and one person pressing it must not spend it.
    mutating func syncNow() -> [Effect] {
        if case .working = status.sync {
            say("A sync is already under way.")
            return []
        }
        if status.sync == .elsewhere {
            say("Another chronoterm keeps this copy fresh; it needs no sync from here.")
            return []
        }
        if let asOf = [status.scheduleAsOf, status.lastSync].compactMap({ $0 }).max() {
            let age = max(0, Int(clock.timeIntervalSince(asOf).rounded()))
            if age < Int(ConsoleModel.manualSyncGap) {
                say("Today's schedule is \(age) s old: nothing to fetch yet (:sync again in \(Int(ConsoleModel.manualSyncGap) - age) s).")
                return []
            }
        }
        return [.syncNow]
    }

    /// How fresh the copy must be for `:sync` to say so rather than sync.
    public static let manualSyncGap: TimeInterval = 30
}
