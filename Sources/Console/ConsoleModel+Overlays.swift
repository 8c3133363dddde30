import DrChronoAPI
import Foundation
import Mirror
import Practice

/// Keys while something is open over the pane (a form, a question, a picker, the
/// prompt), and the `:` commands.
extension ConsoleModel {
    // MARK: Overlays

    mutating func pressInOverlay(_ key: Key) -> [Effect] {
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
        case .patient(let form): return pressInPatientForm(form, key)
        case .payment(let form): return pressInPaymentForm(form, key)
        case .confirmList(let list): return pressInConfirmList(list, key)
        case .findSlot(let form): return pressInFindSlot(form, key)
        case .pickLineItem(let pick): return pressInLineItemPick(pick, key)
        case .profilePicker(let visit, let name, var selection):
            let profiles = billing.profiles
            switch keyMap.action(for: key, within: .dialog) {
            case .up?: selection = max(0, selection - 1)
            case .down?: selection = min(profiles.count - 1, selection + 1)
            case .open? where profiles.indices.contains(selection):
                overlay = nil
                let profile = profiles[selection]
                let charges = zip(profile.codes, profile.types).map { code, type in
                    ProfileCharge(
                        code: code, type: type, diagnoses: Array(profile.diagnoses.prefix(4)), priceCents: billing.prices[code] ?? 0)
                }
                return [.queue(.applyProfile(appointment: visit.id, profile: profile.name, charges: charges, who: name))]
            case .back?, .quit?:
                overlay = nil
                return []
            default: break
            }
            if overlay != nil { overlay = .profilePicker(visit, name: name, selection: selection) }
        case .billingStatusPicker(let visit, let name, var selection):
            switch keyMap.action(for: key, within: .dialog) {
            case .up?: selection = max(0, selection - 1)
            case .down?: selection = min(Outbox.billingStatuses.count - 1, selection + 1)
            case .open?:
                overlay = nil
                return [.queue(.billingStatus(appointment: visit.id, status: Outbox.billingStatuses[selection], who: name))]
            case .back?, .quit?:
                overlay = nil
                return []
            default: break
            }
            overlay = .billingStatusPicker(visit, name: name, selection: selection)
        case .claimNote(let visit, let name, var text):
            switch key {
            case .escape:
                overlay = nil
                say("No note was written.")
            case .enter:
                let typed = text.text.trimmingCharacters(in: .whitespaces)
                guard !typed.isEmpty else { say("Type the note, or Esc.", error: true); return [] }
                overlay = nil
                return [.queue(.claimNote(appointment: visit.id, text: typed, who: name))]
            default:
                text.handle(key)
                overlay = .claimNote(visit, name: name, text: text)
            }
        case .confirmVoid(let item, let name):
            switch keyMap.action(for: key, within: .dialog) {
            case .confirm?:
                overlay = nil
                return [
                    .queue(.voidCharge(lineItem: item.id, summary: "\(item.code) (\(BillingModel.money(item.priceCents))) for \(name)"))
                ]
            case .decline?, .back?: overlay = nil
            default: break
            }
        case .attach(var form):
            if key == .escape {
                overlay = nil
                say("Nothing was attached.")
                return []
            }
            switch form.handle(key) {
            case .none:
                overlay = .attach(form)
            case .complete(let typed):
                overlay = .attach(form)
                return [.completePath(typed)]
            case .submit:
                overlay = .attach(form)
                guard let draft = form.draft(today: now) else {
                    form.problems = [.error("date", "Give the document's date as T, 12/3 or 2026-12-03.")]
                    overlay = .attach(form)
                    return []
                }
                if draft.path.isEmpty {
                    form.problems = [.error("document", "Type the file's name in the inbox (Tab lists them).")]
                    overlay = .attach(form)
                    return []
                }
                return [.attach(draft)]
            }
        case .collections(var list):
            guard let top = scrolled(list.top, lines: list.lines.count, by: key) else { overlay = nil; return [] }
            list.top = top
            overlay = .collections(list)
        case .document(var view):
            if var path = view.saving {
                switch key {
                case .escape: view.saving = nil
                case .enter:
                    let typed = path.text.trimmingCharacters(in: .whitespaces)
                    guard !typed.isEmpty, let file = view.reading.file else { return [] }
                    overlay = nil
                    return [
                        .saveDocument(from: file, to: typed),
                        .audit([AuditTrail.Event("document.save", reference: String(view.reading.document))]),
                    ]
                default:
                    path.handle(key)
                    view.saving = path
                }
                overlay = .document(view)
                return []
            }
            if key == .character("s"), view.reading.file != nil {
                guard folders.documents != nil else {
                    say(PersonFolders.savingOff, error: true)
                    return []
                }
                view.saving = TextField(limit: 200)
                overlay = .document(view)
                return []
            }
            guard let top = scrolled(view.top, lines: view.reading.lines.count, by: key) else { overlay = nil; return [] }
            view.top = top
            overlay = .document(view)
        case .myDay(var list):
            switch keyMap.action(for: key, within: .dialog) {
            case .up?: list.selected = max(0, list.selected - 1)
            case .down?: list.selected = min(max(0, list.rows.count - 1), list.selected + 1)
            case .open?:
                overlay = nil
                guard list.rows.indices.contains(list.selected), let patient = list.rows[list.selected].appointment.patient else {
                    return []
                }
                return openChart(patient)
            default:
                overlay = nil
                return []
            }
            overlay = .myDay(list)
        case .dayTotals(var list):
            guard let top = scrolled(list.top, lines: list.lines.count, by: key) else { overlay = nil; return [] }
            list.top = top
            overlay = .dayTotals(list)
        case .charge(var form):
            if key == .escape, form.lookup.isListing {
                form.lookup.matches = []
                overlay = .charge(form)
                return []
            }
            if key == .escape { overlay = nil; say("No line item was added."); return [] }
            let diagnoses = form.diagnoses.text
            let submitted = form.handle(key)
            if !submitted, form.diagnoses.text != diagnoses {
                overlay = .charge(form)
                return [.lookUpDiagnoses(form.diagnoses.text)]
            }
            if submitted {
                form.problems = form.entryProblems
                overlay = .charge(form)
                guard form.problems.isEmpty, let charge = form.charge else { return [] }
                // Checked here: a charge's check reads nothing but the charge.
                let problems = ChargeCheck.problems(charge)
                if !problems.isEmpty {
                    form.problems = problems
                    overlay = .charge(form)
                    say("The line item was not \(form.fixing == nil ? "added" : "corrected"): fix what is marked.", error: true)
                    return []
                }
                if let id = form.fixing {
                    let changes = form.changes
                    guard !changes.isEmpty else {
                        overlay = nil
                        say("Nothing was changed.")
                        return []
                    }
                    return [
                        .queue(
                            .fixCharge(
                                lineItem: id, changes: changes,
                                summary:
                                    "\(charge.code) (\(BillingModel.money(Money.line(priceCents: charge.priceCents, quantity: charge.quantity)))) for \(form.patientName)"
                            ))
                    ]
                }
                return [.queue(.charge(form))]
            } else {
                overlay = .charge(form)
            }
        }
        return []
    }

    /// A list that only reads: j/k and the page keys scroll it; nil when the key closes it.
    func scrolled(_ top: Int, lines: Int, by key: Key) -> Int? {
        let last = max(0, lines - 1)
        switch keyMap.action(for: key, within: .dialog) {
        case .up?: return max(0, top - 1)
        case .down?: return min(last, top + 1)
        case .pageUp?: return max(0, top - 10)
        case .pageDown?: return min(last, top + 10)
        default: return nil
        }
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
        case "new-patient": return patientAction(.newPatient) ?? []
        case "collections": return paymentAction(.collections) ?? []
        case "my-day":
            overlay = .myDay(MyDayList(day: now, doctors: schedule.preferredDoctors))
            return [.reload(.myDay)]
        case "day-totals":
            overlay = .dayTotals(DayTotalsList(day: pane == .billing ? billing.day : now))
            return [.reload(.dayTotals)]
        case "confirm-list": return openConfirmList()
        case "find-slot": return openFindSlot()
        case "edit-patient": return patientAction(.editPatient) ?? []
        case "attach-document": return patientAction(.attachDocument) ?? []
        case "schedule": return show(.schedule)
        case "notes", "chart": return show(.notes)
        case "billing": return show(.billing)
        case "patients": return show(.search)
        case "theme":
            guard !argument.isEmpty else { say("Which theme? \(themeNames.joined(separator: ", "))"); return [] }
            return [.useTheme(argument)]
        case "sync": return syncNow()
        case "help": overlay = .help; return []
        case "quit", "q": return globalAction(.quit) ?? []
        default:
            say("There is no command '\(name)': type : then Tab to see them.", error: true)
            return []
        }
    }
}
