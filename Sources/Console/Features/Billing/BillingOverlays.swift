import DrChronoAPI
import Foundation
import Mirror
import Practice

/// The biller's boxes: a billing profile, a claim's status and note, a void to confirm,
/// the charge form.
extension ConsoleModel {
    mutating func pressInProfilePicker(_ visit: Appointment, name: String, selection: Int, _ key: Key) -> [Effect] {
        var selection = selection
        let profiles = billing.profiles
        switch keyMap.action(for: key, within: .dialog) {
        case .up?: selection = max(0, selection - 1)
        case .down?: selection = min(profiles.count - 1, selection + 1)
        case .open? where profiles.indices.contains(selection):
            let profile = profiles[selection]
            // A visit level already charged (99213) beside the profile's (99214): said,
            // and added only on a second Enter.
            let clashes = ChargeCheck.visitLevelClashes(existing: billing.lineItems.map(\.code), adding: profile.codes)
            if !clashes.isEmpty, billing.profileWarned != profile.name {
                billing.profileWarned = profile.name
                say(
                    "\(clashes.joined(separator: "; ")). Enter again to add it anyway, Esc to leave the visit as it is.", error: true,
                    seconds: 15)
                return []
            }
            billing.profileWarned = nil
            overlay = nil
            let charges = zip(profile.codes, profile.types).map { code, type in
                ProfileCharge(
                    code: code, type: type, diagnoses: Array(profile.diagnoses.prefix(4)), priceCents: billing.prices[code] ?? 0)
            }
            return [queue(.applyProfile(appointment: visit.id, profile: profile.name, charges: charges, who: name))]
        case .back?, .quit?:
            overlay = nil
            billing.profileWarned = nil
            return []
        default: break
        }
        if overlay != nil {
            if case .profilePicker(_, _, let was) = overlay, was != selection { billing.profileWarned = nil }
            overlay = .profilePicker(visit, name: name, selection: selection)
        }
        return []
    }

    mutating func pressInBillingStatusPicker(_ visit: Appointment, name: String, selection: Int, _ key: Key) -> [Effect] {
        var selection = selection
        switch keyMap.action(for: key, within: .dialog) {
        case .up?: selection = max(0, selection - 1)
        case .down?: selection = min(BillingStatus.allCases.count - 1, selection + 1)
        case .open?:
            overlay = nil
            return [queue(.billingStatus(appointment: visit.id, status: BillingStatus.allCases[selection], who: name))]
        case .back?, .quit?:
            overlay = nil
            return []
        default: break
        }
        overlay = .billingStatusPicker(visit, name: name, selection: selection)
        return []
    }

    mutating func pressInClaimNote(_ visit: Appointment, name: String, text: TextField, _ key: Key) -> [Effect] {
        var text = text
        switch key {
        case .escape:
            overlay = nil
            say("No note was written.")
        case .enter:
            let typed = text.text.trimmingCharacters(in: .whitespaces)
            guard !typed.isEmpty else { say("Type the note, or Esc.", error: true); return [] }
            overlay = nil
            return [queue(.claimNote(appointment: visit.id, text: typed, who: name))]
        default:
            text.handle(key)
            overlay = .claimNote(visit, name: name, text: text)
        }
        return []
    }

    mutating func pressInConfirmVoid(_ item: LineItem, name: String, _ key: Key) -> [Effect] {
        switch keyMap.action(for: key, within: .dialog) {
        case .confirm?:
            overlay = nil
            return [
                queue(.voidCharge(lineItem: item.id, summary: "\(item.code) (\(BillingModel.money(item.priceCents))) for \(name)"))
            ]
        case .decline?, .back?: overlay = nil
        default: break
        }
        return []
    }

    mutating func pressInChargeForm(_ form: ChargeForm, _ key: Key) -> [Effect] {
        var form = form
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
            // Every problem at once; a warning (a price of nothing) needs a second Enter.
            let problems = form.allProblems
            let errors = problems.filter { $0.severity == .error }
            if !errors.isEmpty || (!problems.isEmpty && !form.warningsSeen) {
                form.problems = problems
                form.warningsSeen = errors.isEmpty
                overlay = .charge(form)
                say(
                    errors.isEmpty
                        ? "Press Enter again to charge it as it is, or fix it."
                        : "The line item was not \(form.fixing == nil ? "added" : "corrected"): fix what is marked.", error: !errors.isEmpty
                )
                return []
            }
            overlay = .charge(form)
            guard let charge = form.charge else { return [] }
            if let id = form.fixing {
                let changes = form.changes
                guard !changes.isEmpty else {
                    overlay = nil
                    say("Nothing was changed.")
                    return []
                }
                return [
                    queue(
                        .fixCharge(
                            lineItem: id, changes: changes,
                            summary:
                                "\(charge.code) (\(BillingModel.money(Money.line(priceCents: charge.priceCents, quantity: charge.quantity)))) for \(form.patientName)"
                        ))
                ]
            }
            return [queue(.charge(form))]
        } else {
            overlay = .charge(form)
        }
        return []
    }
}
