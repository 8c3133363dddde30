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
        case .help(let scroll):
            // Arrows and pages scroll a help taller than the window; any other key closes it.
            let page = HelpPage(self, windowWidth: size?.width ?? 120)
            let height = size?.height ?? 40
            let step: Int? =
                switch key {
                case .down, .character("j"): 1
                case .up, .character("k"): -1
                case .pageDown, .character(" "): HelpPage.visibleRows(window: height)
                case .pageUp: -HelpPage.visibleRows(window: height)
                default: nil
                }
            guard let step, page.farthest(window: height) > 0 else {
                overlay = nil
                return []
            }
            overlay = .help(scroll: min(max(0, scroll + step), page.farthest(window: height)))
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
        case .goToDate(let field, _): return pressInGoToDate(field, key)
        case .statusPicker(let appointment, let selection): return pressInStatusPicker(appointment, selection: selection, key)
        case .confirmCancel(let appointment, let name): return pressInConfirmCancel(appointment, name: name, key)
        case .confirmQuit:
            switch keyMap.action(for: key, within: .dialog) {
            case .confirm?:
                overlay = nil
                return [.quit]
            case .decline?, .back?: overlay = nil
            default: break
            }
        case .booking(let form): return pressInBookingForm(form, key)
        case .patient(let form): return pressInPatientForm(form, key)
        case .payment(let form): return pressInPaymentForm(form, key)
        case .confirmList(let list): return pressInConfirmList(list, key)
        case .findSlot(let form): return pressInFindSlot(form, key)
        case .pickLineItem(let pick): return pressInLineItemPick(pick, key)
        case .profilePicker(let visit, let name, let selection): return pressInProfilePicker(visit, name: name, selection: selection, key)
        case .billingStatusPicker(let visit, let name, let selection):
            return pressInBillingStatusPicker(visit, name: name, selection: selection, key)
        case .claimNote(let visit, let name, let text): return pressInClaimNote(visit, name: name, text: text, key)
        case .confirmVoid(let item, let name): return pressInConfirmVoid(item, name: name, key)
        case .attach(let form): return pressInAttachForm(form, key)
        case .collections(let list): return pressInCollections(list, key)
        case .document(let view): return pressInDocument(view, key)
        case .myDay(let list): return pressInMyDay(list, key)
        case .dayTotals(let list): return pressInDayTotals(list, key)
        case .charge(let form): return pressInChargeForm(form, key)
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
        guard !name.isEmpty else { return [] }
        guard let command = ConsoleCommand(typed: name) else {
            say("There is no command '\(name)': type : then Tab to see them.", error: true)
            return []
        }
        return run(command, argument: argument)
    }

    /// Runs a `:` command with what was typed after it.
    public mutating func run(_ command: ConsoleCommand, argument: String = "") -> [Effect] {
        switch command {
        case .today: show(.schedule); return scheduleAction(.today)
        case .date:
            do {
                schedule.go(to: try DateExpression(argument.isEmpty ? "T" : argument).resolve(today: now))
                show(.schedule)
                return [.reload(.schedule)]
            } catch {
                say(error.description, error: true)
                return []
            }
        case .week, .day:
            show(.schedule)
            return (command == .week) != schedule.isWeek ? scheduleAction(.toggleWeek) : []
        case .doctors, .rooms:
            show(.schedule)
            return (command == .rooms) != (schedule.columnsBy == .rooms) || schedule.isWeek ? scheduleAction(.toggleColumns) : []
        case .search:
            show(.search)
            search.editing = true
            search.query.text = argument
            return [.reload(.search)]
        case .newPatient: return patientAction(.newPatient) ?? []
        case .collections: return paymentAction(.collections) ?? []
        case .myDay:
            overlay = .myDay(
                MyDayList(
                    day: now, doctors: schedule.preferredDoctors,
                    doctorNames: Dictionary(schedule.data.doctors.map { ($0.id, $0.displayName) }) { first, _ in first }))
            return [.reload(.myDay)]
        case .dayTotals:
            overlay = .dayTotals(DayTotalsList(day: pane == .billing ? billing.day : now))
            return [.reload(.dayTotals)]
        case .confirmList: return openConfirmList()
        case .findSlot: return openFindSlot()
        case .editPatient: return patientAction(.editPatient) ?? []
        case .attachDocument: return patientAction(.attachDocument) ?? []
        case .schedule: return show(.schedule)
        case .notes: return show(.notes)
        case .billing: return show(.billing)
        case .patients: return show(.search)
        case .theme:
            guard !argument.isEmpty else { say("Which theme? \(themeNames.joined(separator: ", "))"); return [] }
            return [.useTheme(argument)]
        case .sync: return syncNow()
        case .help: overlay = .help(); return []
        case .quit: return globalAction(.quit) ?? []
        }
    }
}
